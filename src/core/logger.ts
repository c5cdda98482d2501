/** The logging surface every module below the entries uses; the CLI and the action each provide one. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

/** A logger that writes to a stream (stderr for the CLI), with a prefix per level. */
export function streamLogger(
  stream: NodeJS.WritableStream,
  options: { debug?: boolean } = {},
): Logger {
  const write = (prefix: string, message: string) => {
    stream.write(`${prefix}${message}\n`)
  }
  return {
    debug: (m) => {
      if (options.debug) write('debug: ', m)
    },
    info: (m) => write('', m),
    warn: (m) => write('warning: ', m),
    error: (m) => write('error: ', m),
  }
}

/** A logger that remembers every line, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  }
}
