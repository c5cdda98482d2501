import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { startServer, type RunningServer } from './start-server.js'
import { tinyModelDir, venvBin } from './paths.js'

/** The manifest `python/make_tiny_model.py` writes next to the model. */
export interface TinyModelManifest {
  name: string
  file: string
  sha256: string
  bytes: number
  seed: number
  vocab_size: number
  n_ctx: number
}

/** A running OpenAI-compatible server: `baseUrl` is `${url}/v1`, `model` the id to request. */
export interface InferenceServer extends RunningServer {
  baseUrl: string
  model: string
  /** Path of the GGUF file served. */
  modelPath: string
  /** Path of the same vocabulary as a Hugging Face `tokenizer.json`, for clients that count tokens. */
  tokenizerPath: string
  manifest: TinyModelManifest
}

export interface InferenceServerOptions {
  /** Folder with tiny-llama.gguf and model.json (default `.cache/tiny-model`, made by integration.sh). */
  modelDir?: string
  /** Model id the server answers to (default the manifest name, `tiny-llama`). */
  model?: string
  /** Threads for generation (default 2). */
  threads?: number
  /** Context window (default the model's, 2048). */
  contextSize?: number
  timeoutMs?: number
}

/** Reads the tiny model's manifest, or throws with the command that generates it. */
export function readTinyModel(modelDir = tinyModelDir): {
  manifest: TinyModelManifest
  modelPath: string
} {
  const manifestPath = path.join(modelDir, 'model.json')
  if (!existsSync(manifestPath)) {
    throw new Error(
      `${manifestPath} is missing: run 'npm run test:integration' (or '.venv/bin/python python/make_tiny_model.py --out ${modelDir}')`,
    )
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TinyModelManifest
  return { manifest, modelPath: path.join(modelDir, manifest.file) }
}

/**
 * Starts llama-cpp-python's OpenAI-compatible server (llama.cpp on CPU) from `.venv`, serving the
 * generated tiny Llama-style model on 127.0.0.1. `logits_all` is on so `/v1/completions` with `echo`
 * returns prompt-token logprobs (needed for multiple-choice scoring).
 */
export async function startInferenceServer(
  options: InferenceServerOptions = {},
): Promise<InferenceServer> {
  const modelDir = options.modelDir ?? tinyModelDir
  const { manifest, modelPath } = readTinyModel(modelDir)
  const model = options.model ?? manifest.name
  const server = await startServer({
    name: 'llama-cpp-server',
    command: venvBin('python'),
    args: [
      '-m',
      'llama_cpp.server',
      '--model',
      modelPath,
      '--model_alias',
      model,
      '--host',
      '127.0.0.1',
      '--port',
      '{port}',
      '--n_ctx',
      String(options.contextSize ?? manifest.n_ctx),
      '--n_threads',
      String(options.threads ?? 2),
      '--logits_all',
      'true',
      '--seed',
      '1234',
      // By default a new request interrupts the stream being generated, which cuts concurrent
      // streams short; a benchmark needs them queued instead.
      '--interrupt_requests',
      'false',
    ],
    health: 'http://127.0.0.1:{port}/v1/models',
    timeoutMs: options.timeoutMs ?? 120_000,
  })
  return {
    ...server,
    baseUrl: `${server.url}/v1`,
    model,
    modelPath,
    tokenizerPath: path.join(modelDir, 'tokenizer.json'),
    manifest,
  }
}
