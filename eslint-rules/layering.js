// @ts-check
/**
 * Layering rule keyed on folder names (VS Code's code-layering is the model).
 * A file under src/<layer>/ may import only from the layers listed for it; only main and
 * preload may import electron; shared, renderer and preload may not import Node built-ins.
 */
import path from 'node:path'
import { builtinModules } from 'node:module'

/** @type {Record<string, string[]>} layer -> layers it may import from */
export const ALLOWED = {
  shared: ['shared'],
  engine: ['shared', 'engine'],
  main: ['shared', 'engine', 'main'],
  server: ['shared', 'engine', 'server'],
  cli: ['shared', 'engine', 'server', 'cli'],
  preload: ['shared', 'preload'],
  renderer: ['shared', 'renderer'],
}
const ELECTRON_LAYERS = new Set(['main', 'preload'])
const NO_NODE_LAYERS = new Set(['shared', 'renderer', 'preload'])
const BUILTINS = new Set(builtinModules)

/** @param {string} file */
function layerOf(file) {
  const rel = path.relative(process.cwd(), file).split(path.sep)
  return rel[0] === 'src' && rel[1] && rel[1] in ALLOWED ? rel[1] : null
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the src/<layer> import rules of docs/ARCHITECTURE.md' },
    schema: [],
    messages: {
      layer: "'{{from}}' may not import from '{{to}}' (allowed: {{allowed}})",
      electron: "'{{from}}' may not import electron: only main and preload may",
      node: "'{{from}}' may not import the Node built-in '{{name}}'",
    },
  },
  create(context) {
    const from = layerOf(context.filename)
    if (!from) return {}
    /** @param {import('estree').Node} node @param {unknown} source */
    function check(node, source) {
      if (typeof source !== 'string') return
      if (source === 'electron' || source.startsWith('electron/')) {
        if (!ELECTRON_LAYERS.has(from))
          context.report({ node, messageId: 'electron', data: { from } })
        return
      }
      const bare = source.replace(/^node:/, '').split('/')[0]
      if (source.startsWith('node:') || BUILTINS.has(bare)) {
        if (NO_NODE_LAYERS.has(from))
          context.report({ node, messageId: 'node', data: { from, name: source } })
        return
      }
      if (!source.startsWith('.')) return
      const to = layerOf(path.resolve(path.dirname(context.filename), source))
      if (to && !ALLOWED[from].includes(to)) {
        context.report({
          node,
          messageId: 'layer',
          data: { from, to, allowed: ALLOWED[from].join(', ') },
        })
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    }
  },
}

export default { rules: { 'allowed-imports': rule } }
