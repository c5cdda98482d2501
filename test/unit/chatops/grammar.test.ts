import { describe, expect, it } from 'vitest'
import {
  MAX_ARGUMENTS,
  parseCommandLine,
  parseComment,
  tokenize,
} from '../../../src/chatops/grammar.js'

const names = (body: string) => parseComment(body).map((c) => c.name)

describe('parseComment: which lines count', () => {
  it.each([
    ['a bare command', '/eval', ['eval']],
    ['upper case', '/EVAL', ['eval']],
    ['mixed case with arguments', '/Deploy staging', ['deploy']],
    ['after prose', 'Looks good.\n/eval suite=qa', ['eval']],
    ['CRLF line endings', 'hi\r\n/benchmark\r\n', ['benchmark']],
    ['tab after the name', '/eval\tsuite=qa', ['eval']],
    ['a longer word does not match a command prefix', '/evalx', ['evalx']],
    ['a path is not a command', '/usr/bin/env python', []],
    ['not at the line start', 'please /eval', []],
    ['indented by spaces', '  /eval', []],
    ['indented code', '    /eval', []],
    ['tab-indented', '\t/eval', []],
    ['in a ``` fence', '```\n/eval\n```', []],
    ['in a ~~~ fence', '~~~bash\n/deploy production\n~~~', []],
    ['in a longer fence closed by a longer run', '````\n```\n/eval\n````\n/help', ['help']],
    ['a fence never closed hides the rest', '```\n/eval', []],
    ['after a closed fence', '```\ncode\n```\n/eval', ['eval']],
    ['in a quote', '> /eval', []],
    ['in a nested quote', '> > /deploy production', []],
    ['lazy continuation of a quote', '> earlier text\n/eval', []],
    ['after a quote and a blank line', '> earlier text\n\n/eval', ['eval']],
    ['in an inline code span across lines', 'run `this\n/eval` later', []],
    ['in a double-backtick span', 'x ``a ` b\n/eval``', []],
    ['after an unclosed backtick', 'a ` b\n/eval', ['eval']],
    ['in an HTML comment', '<!--\n/deploy production\n-->', []],
    ['in a one-line HTML comment', '<!-- /eval -->', []],
    ['after a closed HTML comment', '<!-- x -->\n/eval', ['eval']],
    ['two commands', '/eval\n/benchmark', ['eval', 'benchmark']],
    ['empty body', '', []],
  ])('%s', (_label, body, expected) => {
    expect(names(body)).toEqual(expected)
  })

  it('reports 1-based line numbers', () => {
    expect(parseComment('a\n\n/eval').map((c) => c.line)).toEqual([3])
  })
})

describe('tokenize', () => {
  it.each([
    [' suite=qa provider=candidate', ['suite=qa', 'provider=candidate']],
    ['  a   b  ', ['a', 'b']],
    [' key="two words"', ['key=two words']],
    [" key='single \\ quoted'", ['key=single \\ quoted']],
    [' key="a\\nb"', ['key=a\\nb']],
    [' key="esc \\" quote"', ['key=esc " quote']],
    [' key="back\\\\slash"', ['key=back\\slash']],
    [' ""', ['']],
  ])('%j', (input, expected) => {
    expect(tokenize(input)).toEqual({ tokens: expected })
  })

  it('rejects an unterminated quote', () => {
    expect(tokenize(' key="open').error).toBe('unterminated double quote')
  })
})

describe('parseCommandLine', () => {
  it('splits positionals and key=value arguments, lower-casing names and keys', () => {
    expect(parseCommandLine('/DEPLOY staging SHA=abc', 4)).toEqual({
      name: 'deploy',
      line: 4,
      positionals: ['staging'],
      args: { sha: 'abc' },
    })
  })

  it.each([
    ['/eval suite=a suite=b', "argument 'suite' given twice"],
    ['/eval suite="x', 'unterminated double quote'],
    [
      `/eval ${Array.from({ length: MAX_ARGUMENTS + 1 }, (_, i) => `k${i}=v`).join(' ')}`,
      'more than 50 arguments',
    ],
  ])('%s -> error', (line, error) => {
    expect(parseCommandLine(line)?.error).toBe(error)
  })

  it('keeps shell syntax as plain data', () => {
    expect(parseCommandLine('/eval suite=$(id) provider=`whoami`')?.args).toEqual({
      suite: '$(id)',
      provider: '`whoami`',
    })
  })

  it.each(['eval', '/', '/1eval', '/eval!', ' /eval'])('%j is not a command line', (line) => {
    expect(parseCommandLine(line)).toBeUndefined()
  })
})
