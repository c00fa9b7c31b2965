import type { Command } from '../command'
import { dbInfo, dbMigrate } from './db'
import { serve } from './serve'

/** Every `microau` command, in the order --help lists them. */
export const commands: readonly Command[] = [serve, dbMigrate, dbInfo]
