import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The options of a command-line tool, read with Node's `parseArgs`. An option the tool does
 * not know, or a value missing after one, ends the process with exit code 2 and the tool's
 * usage line (parseArgs itself throws a TypeError with a stack trace); `--help` prints the
 * usage line and exits 0.
 */
export function readCommandLine<T extends ParseArgsConfig & { options: NonNullable<ParseArgsConfig['options']> }>(usage: string, config: T): ReturnType<typeof parseArgs<T>>['values'] {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes('--help') && !('help' in config.options)) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  try {
    return parseArgs({ ...config, args }).values;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    console.error(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}`);
    process.exit(2);
  }
}
