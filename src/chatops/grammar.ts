/** At most this many arguments per command line (the same cap slash-command-dispatch uses). */
export const MAX_ARGUMENTS = 50

const COMMAND_LINE = /^\/([A-Za-z][A-Za-z0-9_-]*)(?=[ \t]|$)(.*)$/
const NAMED_ARGUMENT = /^([a-zA-Z0-9_-]+)=([\s\S]+)$/
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/

/** One `/command ...` line found in a comment, tokenized but not yet validated. */
export interface CommandLine {
  /** The command name, lower-cased. */
  name: string
  /** 1-based line number in the comment. */
  line: number
  positionals: string[]
  /** Named `key=value` arguments; keys lower-cased, values unquoted. */
  args: Record<string, string>
  /** Why the line could not be tokenized (unterminated quote, duplicate key, too many arguments). */
  error?: string
}

function backtickRuns(text: string): { start: number; length: number }[] {
  const runs: { start: number; length: number }[] = []
  for (const match of text.matchAll(/`+/g))
    runs.push({ start: match.index, length: match[0].length })
  return runs
}

/**
 * Offsets inside inline code spans of one paragraph: an opening run of n backticks closes at the next
 * run of exactly n backticks (CommonMark); an unclosed run is literal text.
 */
function codeSpanRanges(paragraph: string): [number, number][] {
  const runs = backtickRuns(paragraph)
  const ranges: [number, number][] = []
  let i = 0
  while (i < runs.length) {
    const open = runs[i]!
    const closeIndex = runs.findIndex((r, j) => j > i && r.length === open.length)
    if (closeIndex === -1) {
      i++
      continue
    }
    ranges.push([open.start, runs[closeIndex]!.start + open.length])
    i = closeIndex + 1
  }
  return ranges
}

/**
 * The lines of a comment that may hold a command: not inside fenced code (``` or ~~~), indented code,
 * an inline code span, an HTML comment or a quoted reply (including its lazy continuation lines).
 * Returns 1-based line numbers with the line text.
 */
export function visibleCommandLines(body: string): { line: number; text: string }[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n')
  const out: { line: number; text: string }[] = []
  let fence: { char: string; length: number } | undefined
  let inHtmlComment = false
  let inQuote = false
  let paragraph: { line: number; text: string }[] = []

  const flushParagraph = () => {
    if (paragraph.length === 0) return
    const joined = paragraph.map((p) => p.text).join('\n')
    const spans = codeSpanRanges(joined)
    let offset = 0
    for (const p of paragraph) {
      const inside = spans.some(([start, end]) => offset > start && offset < end)
      if (!inside) out.push(p)
      offset += p.text.length + 1
    }
    paragraph = []
  }

  lines.forEach((text, index) => {
    const line = index + 1
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence.char === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`)
      if (close.test(text)) fence = undefined
      return
    }
    if (inHtmlComment) {
      if (text.includes('-->')) inHtmlComment = false
      return
    }
    if (text.trim() === '') {
      flushParagraph()
      inQuote = false
      return
    }
    const fenceMatch = FENCE_OPEN.exec(text)
    if (fenceMatch && !(fenceMatch[1]!.startsWith('`') && fenceMatch[2]!.includes('`'))) {
      flushParagraph()
      fence = { char: fenceMatch[1]![0]!, length: fenceMatch[1]!.length }
      inQuote = false
      return
    }
    if (/^ {0,3}>/.test(text)) {
      flushParagraph()
      inQuote = true
      return
    }
    if (inQuote) return // a lazy continuation line renders inside the quote
    const commentStart = text.indexOf('<!--')
    if (commentStart !== -1) {
      // An HTML comment hides everything up to `-->`; only text before it on the first line shows.
      inHtmlComment = !text.includes('-->', commentStart + 4)
      if (commentStart === 0) {
        flushParagraph()
        return
      }
    }
    paragraph.push({ line, text })
  })
  flushParagraph()
  // Indented code and any leading whitespace fail the column-0 rule below, so they never match.
  return out
}

/**
 * Splits the rest of a command line into tokens. Quotes group; inside double quotes `\"` and `\\` are
 * the only escapes (any other backslash stays, so `\n` never turns into something else).
 */
export function tokenize(rest: string): { tokens: string[]; error?: string } {
  const tokens: string[] = []
  let current = ''
  let inToken = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i]!
    if (quote) {
      if (ch === quote) {
        quote = undefined
      } else if (ch === '\\' && quote === '"' && (rest[i + 1] === '"' || rest[i + 1] === '\\')) {
        current += rest[++i]!
      } else {
        current += ch
      }
      continue
    }
    if (ch === ' ' || ch === '\t') {
      if (inToken) tokens.push(current)
      current = ''
      inToken = false
      continue
    }
    inToken = true
    if (ch === '"' || ch === "'") quote = ch
    else current += ch
  }
  if (quote) return { tokens, error: `unterminated ${quote === '"' ? 'double' : 'single'} quote` }
  if (inToken) tokens.push(current)
  return { tokens }
}

/** Parses one line that starts with `/name`; returns undefined when the line holds no command. */
export function parseCommandLine(text: string, line = 1): CommandLine | undefined {
  const match = COMMAND_LINE.exec(text)
  if (!match) return undefined
  const command: CommandLine = { name: match[1]!.toLowerCase(), line, positionals: [], args: {} }
  const { tokens, error } = tokenize(match[2]!)
  if (error) return { ...command, error }
  if (tokens.length > MAX_ARGUMENTS)
    return { ...command, error: `more than ${MAX_ARGUMENTS} arguments` }
  for (const token of tokens) {
    const named = NAMED_ARGUMENT.exec(token)
    if (!named) {
      command.positionals.push(token)
      continue
    }
    const key = named[1]!.toLowerCase()
    if (Object.hasOwn(command.args, key))
      return { ...command, error: `argument '${key}' given twice` }
    command.args[key] = named[2]!
  }
  return command
}

/** Every command in a comment, in order, skipping code, quotes and HTML comments. */
export function parseComment(body: string): CommandLine[] {
  const commands: CommandLine[] = []
  for (const { line, text } of visibleCommandLines(body)) {
    const command = parseCommandLine(text, line)
    if (command) commands.push(command)
  }
  return commands
}
