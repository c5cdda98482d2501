import type { Command } from './command.js'
import { benchCommand } from '../bench/command.js'
import { commandCommand } from '../chatops/command.js'
import { validateCommand } from '../config/validate-command.js'
import { demoCommand } from '../demo/command.js'
import { deployCommand } from '../dispatch/deploy-command.js'
import { finetuneCommand } from '../dispatch/finetune-command.js'
import { evalCommand } from '../eval/command.js'
import { mergeCommand } from '../eval/merge-command.js'
import { gateCommand } from '../gate/command.js'
import { scoreCommand } from '../metrics/score-command.js'
import { reportCommand } from '../report/command.js'
import { safetyCommand } from '../safety/command.js'
import { serveCommand } from '../serve/command.js'
import { simCommand } from '../sim/command.js'

/** Every command of the CLI, in the order `--help` lists them. Each command's logic lives in its feature folder. */
export const commands: readonly Command[] = [
  evalCommand,
  mergeCommand,
  benchCommand,
  safetyCommand,
  gateCommand,
  scoreCommand,
  reportCommand,
  commandCommand,
  deployCommand,
  finetuneCommand,
  serveCommand,
  validateCommand,
  demoCommand,
  simCommand,
]

export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name)
}
