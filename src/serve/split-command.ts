import { UsageError } from '../errors.js'

const OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`'])

/**
 * Splits a command line into an argv array the way a POSIX shell splits words, without running a
 * shell: single quotes keep text literally, double quotes allow `\"` `\\` `\$` `` \` `` escapes, a
 * backslash outside quotes escapes the next character. Unquoted shell operators and `$` are errors,
 * because nothing here expands variables or runs pipelines; the server is started directly.
 */
export function splitCommand(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  const fail = (why: string) => {
    throw new UsageError(`--server-command: ${why} in '${line}' (the command runs without a shell)`)
  }
  while (i < line.length) {
    const c = line[i] as string
    if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) fail('unterminated single quote')
      word += line.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      i++
      for (;;) {
        if (i >= line.length) fail('unterminated double quote')
        const d = line[i] as string
        if (d === '"') break
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) {
          word += line[i + 1]
          i += 2
        } else {
          word += d
          i++
        }
      }
      inWord = true
      i++
    } else if (c === '\\') {
      if (i + 1 >= line.length) fail('trailing backslash')
      word += line[i + 1]
      inWord = true
      i += 2
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
    } else {
      if (OPERATORS.has(c)) fail(`unquoted '${c}'`)
      word += c
      inWord = true
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}

/** Values substituted for `{model}`, `{host}` and `{port}` in the server command's words. */
export interface ServerPlaceholders {
  model: string
  host: string
  port: number
}

/**
 * The argv that starts the server. With placeholders, each word gets them filled in (any server's
 * flag names work, e.g. `python -m llama_cpp.server --model {model} --port {port}`); without any,
 * `<model> --host <host> --port <port>` is appended, the form `vllm serve` expects.
 */
export function serverArgv(command: string, values: ServerPlaceholders): string[] {
  const words = splitCommand(command)
  if (words.length === 0) throw new UsageError('--server-command is empty')
  const hasPlaceholder = words.some((w) => /\{(model|host|port)\}/.test(w))
  if (!hasPlaceholder)
    return [...words, values.model, '--host', values.host, '--port', String(values.port)]
  return words.map((w) =>
    w
      .replaceAll('{model}', values.model)
      .replaceAll('{host}', values.host)
      .replaceAll('{port}', String(values.port)),
  )
}
