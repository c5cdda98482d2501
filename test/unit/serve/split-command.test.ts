import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/errors.js'
import { serverArgv, splitCommand } from '../../../src/serve/split-command.js'

describe('splitCommand', () => {
  it.each([
    ['vllm serve', ['vllm', 'serve']],
    ['  python   -m  llama_cpp.server ', ['python', '-m', 'llama_cpp.server']],
    [`vllm serve --chat-template 'a b.jinja'`, ['vllm', 'serve', '--chat-template', 'a b.jinja']],
    [`x "say \\"hi\\" \\$HOME" y`, ['x', 'say "hi" $HOME', 'y']],
    [`x 'it''s'`, ['x', 'its']],
    [`x a\\ b`, ['x', 'a b']],
    [`x ''`, ['x', '']],
    [`x --json='{"a": 1}'`, ['x', '--json={"a": 1}']],
  ])('splits %s', (line, words) => {
    expect(splitCommand(line)).toEqual(words)
  })

  it.each([
    ['vllm serve; rm -rf /', "unquoted ';'"],
    ['vllm serve $MODEL', "unquoted '$'"],
    ['vllm serve `id`', "unquoted '`'"],
    ['vllm serve > log', "unquoted '>'"],
    ["vllm 'serve", 'unterminated single quote'],
    ['vllm "serve', 'unterminated double quote'],
    ['vllm serve \\', 'trailing backslash'],
  ])('rejects %s', (line, why) => {
    expect(() => splitCommand(line)).toThrow(UsageError)
    expect(() => splitCommand(line)).toThrow(why)
  })
})

describe('serverArgv', () => {
  const values = { model: 'org/m', host: '127.0.0.1', port: 8123 }

  it('appends the model, host and port in the vllm serve form when the command has no placeholders', () => {
    expect(serverArgv('vllm serve --dtype float32', values)).toEqual([
      'vllm',
      'serve',
      '--dtype',
      'float32',
      'org/m',
      '--host',
      '127.0.0.1',
      '--port',
      '8123',
    ])
  })

  it('fills placeholders inside words and appends nothing', () => {
    expect(
      serverArgv('python -m llama_cpp.server --model {model} --port={port} --host {host}', values),
    ).toEqual([
      'python',
      '-m',
      'llama_cpp.server',
      '--model',
      'org/m',
      '--port=8123',
      '--host',
      '127.0.0.1',
    ])
  })

  it('keeps a model name with shell characters as one literal argument', () => {
    expect(serverArgv('srv {model}', { ...values, model: 'm; echo pwned $(id)' })).toEqual([
      'srv',
      'm; echo pwned $(id)',
    ])
  })

  it('rejects an empty command', () => {
    expect(() => serverArgv('   ', values)).toThrow('--server-command is empty')
  })
})
