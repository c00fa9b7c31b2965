import type { Command } from '../command'
import { ablation } from './ablation'
import { apex } from './apex'
import { batch } from './batch'
import { cam } from './cam'
import { clips } from './clips'
import { dbGc, dbInfo, dbMigrate } from './db'
import { doctor } from './doctor'
import { evaluate } from './eval'
import { exportCommand } from './export'
import { importCommand } from './import'
import { magnify } from './magnify'
import { predict } from './predict'
import { serve } from './serve'
import { spot } from './spot'
import { synth } from './synth'
import { train } from './train'

/** Every `microau` command, in the order --help lists them. */
export const commands: readonly Command[] = [
  serve,
  dbMigrate,
  dbInfo,
  dbGc,
  doctor,
  synth,
  importCommand,
  clips,
  exportCommand,
  train,
  evaluate,
  ablation,
  predict,
  batch,
  cam,
  magnify,
  apex,
  spot,
]
