/**
 * The one TensorFlow.js namespace every engine module imports (`import { tf } from '../tf'`).
 *
 * It is the `@tensorflow/tfjs` union package: all of `@tensorflow/tfjs-core` (ops, chained
 * ops such as `x.add(y)`, kernels registry, optimisers) plus layers and the `cpu` backend.
 * `@tensorflow/tfjs-node(-gpu)` import this same package and register their `tensorflow`
 * backend into its engine, so a tensor made here runs on whichever backend
 * `selectBackend` (./backend) activated. The wasm and native backends are loaded there, on
 * demand, never by importing this module.
 */
import * as tf from '@tensorflow/tfjs'

export { tf }
