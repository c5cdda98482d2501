import { describe, expect, it } from 'vitest'
import {
  hasPromptLogprobs,
  identifyServer,
  modelIds,
  serverRoot,
} from '../../../src/providers/server-probe.js'

function server(routes: Record<string, unknown>) {
  return (p: string) =>
    p in routes ? Promise.resolve(routes[p]) : Promise.reject(new Error('404'))
}

describe('identifyServer', () => {
  it.each([
    ['vllm', { '/version': { version: '0.8.5' } }, '0.8.5'],
    [
      'tgi',
      { '/info': { model_id: 'x', version: '3.0.1' }, '/version': { version: 'nope' } },
      '3.0.1',
    ],
    ['ollama', { '/api/version': { version: '0.5.7' } }, '0.5.7'],
    [
      'llama.cpp',
      { '/props': { default_generation_settings: {}, build_info: 'b4600-abc' } },
      'b4600-abc',
    ],
    [
      'sglang',
      {
        '/get_server_info': { version: '0.4.3', tokenizer_path: 't' },
        '/version': { version: '0.4.3' },
      },
      '0.4.3',
    ],
    [
      'llama-cpp-python',
      {
        '/openapi.json': {
          openapi: '3.1.0',
          info: { title: '🦙 llama.cpp Python API', version: '0.3.36' },
        },
      },
      '0.3.36',
    ],
    [
      'llmops-sim',
      { '/version': { name: 'llmops-sim', version: '0.1.0', simulator: true } },
      '0.1.0',
    ],
  ] as const)('recognises %s', async (name, routes, version) => {
    expect(await identifyServer(server(routes))).toEqual({ name, version })
  })

  it('falls back to unknown', async () => {
    expect(await identifyServer(server({}))).toEqual({ name: 'unknown', version: null })
  })
})

describe('probe helpers', () => {
  it('detects echoed prompt logprobs (vLLM) and their absence (llama.cpp)', () => {
    const vllm = { choices: [{ logprobs: { token_logprobs: [null, -1.2, -0.3] } }] }
    const llamacpp = { choices: [{ logprobs: { token_logprobs: [-0.3] } }] }
    expect(hasPromptLogprobs(vllm)).toBe(true)
    expect(hasPromptLogprobs(llamacpp)).toBe(false)
    expect(hasPromptLogprobs({ choices: [{ logprobs: null }] })).toBe(false)
  })
  it('reads model ids and the server root', () => {
    expect(modelIds({ data: [{ id: 'a' }, { id: 'b' }, {}] })).toEqual(['a', 'b'])
    expect(serverRoot('http://h:8000/v1/')).toBe('http://h:8000')
    expect(serverRoot('http://h:8000/api')).toBe('http://h:8000/api')
  })
})
