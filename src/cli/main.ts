import { parseArgs } from 'node:util'
import pkg from '../../package.json' with { type: 'json' }
import { AppError } from '../shared/errors'
import { UsageError, type CliIo, type Command } from './command'

/** Runs `microau` with `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(`${pkg.version}\n`)
    return 0
  }
  // The commands import the engine (SQLite, TensorFlow.js, ExcelJS): load them only when needed.
  const { commands } = await import('./commands')
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(helpText(commands))
    return argv.length === 0 ? 2 : 0
  }
  const command = findCommand(commands, argv)
  if (!command) {
    io.stderr(`microau: unknown command "${argv.join(' ')}"\n\n${helpText(commands)}`)
    return 2
  }
  const rest = argv.slice(command.name.split(' ').length)
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nusage: microau ${command.name} ${command.usage}\n`)
    return 0
  }
  try {
    const { values } = parseArgs({
      args: rest,
      options: command.options,
      strict: true,
      allowPositionals: false,
    })
    return await command.run(values, io)
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(
        `microau ${command.name}: ${(error as Error).message}\nusage: microau ${command.name} ${command.usage}\n`,
      )
      return 2
    }
    if (error instanceof AppError) {
      io.stderr(`microau ${command.name}: ${error.message}\n`)
      return 1
    }
    io.stderr(
      `microau ${command.name}: unexpected error: ${(error as Error).stack ?? String(error)}\n`,
    )
    return 1
  }
}

function findCommand(commands: readonly Command[], argv: string[]): Command | undefined {
  return commands
    .filter((c) => c.name.split(' ').every((word, i) => argv[i] === word))
    .sort((a, b) => b.name.length - a.name.length)[0]
}

function isParseArgsError(error: unknown): boolean {
  return (
    typeof (error as { code?: unknown })?.code === 'string' &&
    (error as { code: string }).code.startsWith('ERR_PARSE_ARGS')
  )
}

function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return [
    `microau ${pkg.version}: MicroAU Studio from the command line`,
    '',
    'usage: microau <command> [options]   (microau <command> --help for its options)',
    '',
    ...lines,
    '',
    'Every command takes --db FILE for the library and --json for machine-readable output;',
    'progress goes to stderr; the exit code is 0 only on success.',
    '',
  ].join('\n')
}
