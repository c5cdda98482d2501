import { setMaxListeners } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Limiter } from '../providers/limiter.js'
import { VERSION } from '../version.js'
import { FaultPlan, STATUS_FAULTS } from './faults.js'
import { SimMetrics } from './metrics.js'
import { completeBody, planResponse } from './plan.js'
import {
  defaultProfileInput,
  modelProfile,
  parseProfile,
  type Fault,
  type SimProfile,
  type SimProfileInput,
} from './profile.js'
import { BadRequest, parseGenerationRequest, renderChat } from './requests.js'
import { generationTime, sleep, streamSchedule, writeStream } from './stream.js'
import { decode, encode, splitTokens } from './tokenizer.js'

/** Options of {@link startSimServer}. */
export interface SimServerOptions {
  /**
   * A parsed profile, or a profile object as written by hand (defaults filled in). Any object is
   * accepted and validated at run time, with a ConfigurationError naming the bad key path.
   */
  profile?: SimProfile | SimProfileInput | Record<string, unknown>
  port?: number
  host?: string
}

/** Counters of what the simulator has served. */
export interface SimStats {
  requests: number
  completed: number
  inFlight: number
  maxInFlight: number
  byPath: Record<string, number>
  faults: Record<string, number>
}

/** A running simulator. `url` is the OpenAI base URL (ends in /v1). */
export interface SimServer {
  url: string
  origin: string
  port: number
  stats: SimStats
  /** Injects a fault for the next request(s): `{kind: '429' | '500' | '503' | 'reset' | 'malformed' | 'truncate' | 'stall', times?, after_chunks?, retry_after_s?, match?}`. */
  inject(fault: Partial<Fault> & { kind: Fault['kind'] }): void
  clearFaults(): void
  close(): Promise<void>
}

/** The simulator's identity, served on `/version` and `/`: it never pretends to be a real model. */
export const SIM_BANNER = { name: 'llmops-sim', version: VERSION, simulator: true } as const

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

function errorBody(status: number, message: string, param: string | null = null) {
  const type =
    status === 404
      ? 'NotFoundError'
      : status === 429
        ? 'RateLimitError'
        : status >= 500
          ? 'InternalServerError'
          : 'BadRequestError'
  return {
    error: { message, type, param, code: status },
    object: 'error',
    message,
    type,
    code: status,
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new BadRequest('the body is not valid JSON')
  }
}

/**
 * Starts the simulated OpenAI-compatible model server on 127.0.0.1 (port 0 picks a free port).
 * Behaviour per model comes from the profile; see docs/simulator.md.
 */
export async function startSimServer(options: SimServerOptions = {}): Promise<SimServer> {
  const profile = parseProfile(options.profile ?? defaultProfileInput)
  const faults = new FaultPlan()
  const stats: SimStats = {
    requests: 0,
    completed: 0,
    inFlight: 0,
    maxInFlight: 0,
    byPath: {},
    faults: {},
  }
  const closing = new AbortController()
  setMaxListeners(0, closing.signal)
  const epoch = process.hrtime.bigint()
  const metrics = new SimMetrics()
  const limiters = new Map<string, Limiter>()
  const limiterFor = (model: string, limit: number) => {
    let l = limiters.get(model)
    if (!l) limiters.set(model, (l = new Limiter(limit)))
    return l
  }
  let seq = 0

  const generate = async (
    kind: 'chat' | 'completion',
    req: IncomingMessage,
    res: ServerResponse,
    arrival: bigint,
  ) => {
    const request = parseGenerationRequest(kind, await readJson(req))
    const model = modelProfile(profile, request.model)
    if (!model) throw new BadRequest(`The model \`${request.model}\` does not exist.`, 404, 'model')
    const n = seq++
    const fault = faults.pick(n, request.prompts.map((p) => p.matchText).join('\n'), model.faults)
    if (fault) stats.faults[fault.kind] = (stats.faults[fault.kind] ?? 0) + 1
    const status = fault ? STATUS_FAULTS[fault.kind] : undefined
    if (fault && status !== undefined) {
      const headers: Record<string, string> =
        status === 500 ? {} : { 'retry-after': String(fault.retry_after_s) }
      return sendJson(res, status, errorBody(status, `simulated ${fault.kind} fault`), headers)
    }
    const plan = planResponse(model, request)
    const events = streamSchedule(plan, model.timing, n)
    const id = req.headers['x-request-id']
    const observer = metrics.request(
      request.model,
      arrival,
      typeof id === 'string' ? id : undefined,
    )
    const aborted = new AbortController()
    const onClose = () => aborted.abort()
    res.on('close', onClose)
    closing.signal.addEventListener('abort', onClose, { once: true })
    const respond = async () => {
      observer.started(process.hrtime.bigint())
      if (request.stream) {
        await writeStream(res, events, {
          timing: model.timing,
          fault,
          epoch,
          signal: aborted.signal,
          observer,
        })
        return
      }
      if (fault?.kind === 'reset') return void res.socket?.destroy()
      if (fault?.kind === 'stall')
        return await new Promise<void>((resolve) =>
          aborted.signal.addEventListener('abort', () => resolve(), { once: true }),
        )
      if (model.timing.delay_non_streaming) await sleep(generationTime(events), aborted.signal)
      if (aborted.signal.aborted) return
      const body = completeBody(plan, model.timing.reasoning_field)
      if (fault?.kind === 'malformed' || fault?.kind === 'truncate') {
        const text = JSON.stringify(body)
        res.writeHead(200, { 'content-type': 'application/json' })
        return void res.end(text.slice(0, Math.floor(text.length / 2)))
      }
      sendJson(res, 200, body)
      const now = process.hrtime.bigint()
      observer.tokens(
        events.reduce((sum, e) => sum + e.tokens, 0),
        now,
      )
      observer.end(true, now)
    }
    try {
      const slots = model.timing.max_running
        ? limiterFor(request.model, model.timing.max_running)
        : null
      if (slots) await slots.run(respond, aborted.signal)
      else await respond()
    } finally {
      res.off('close', onClose)
      closing.signal.removeEventListener('abort', onClose)
    }
  }

  const tokenize = async (req: IncomingMessage, res: ServerResponse) => {
    const body = (await readJson(req)) as Record<string, unknown>
    const text = body.messages !== undefined ? renderChat(body.messages).text : body.prompt
    if (typeof text !== 'string')
      throw new BadRequest("'prompt' (a string) or 'messages' is required", 400, 'prompt')
    const model =
      typeof body.model === 'string'
        ? modelProfile(profile, body.model)
        : Object.values(profile.models)[0]
    const tokens = encode(text)
    sendJson(res, 200, {
      count: tokens.length,
      max_model_len: model?.max_model_len ?? 8192,
      tokens,
      token_strs: body.return_token_strs === true ? splitTokens(text) : null,
    })
  }

  const detokenize = async (req: IncomingMessage, res: ServerResponse) => {
    const body = (await readJson(req)) as Record<string, unknown>
    const tokens = body.tokens
    if (!Array.isArray(tokens) || !tokens.every((t) => Number.isInteger(t)))
      throw new BadRequest("'tokens' must be a list of integers", 400, 'tokens')
    sendJson(res, 200, { prompt: decode(tokens as number[]) })
  }

  // `arrival` is when the request reached the server (its 'request' event), before the body is read.
  const route = async (req: IncomingMessage, res: ServerResponse, arrival: bigint) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const key = `${req.method ?? 'GET'} ${path}`
    stats.byPath[key] = (stats.byPath[key] ?? 0) + 1
    switch (key) {
      case 'GET /':
        return sendJson(res, 200, {
          ...SIM_BANNER,
          message:
            'llmops-sim: a simulated OpenAI-compatible model server for tests and demos, not a real model',
        })
      case 'GET /version':
        return sendJson(res, 200, SIM_BANNER)
      case 'GET /health':
        return void res.writeHead(200).end()
      case 'GET /metrics':
        return void res
          .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
          .end(metrics.render())
      case 'GET /v1/models':
        return sendJson(res, 200, {
          object: 'list',
          data: Object.entries(profile.models)
            .filter(([name]) => name !== '*')
            .map(([id, m]) => ({
              id,
              object: 'model',
              created: 0,
              owned_by: 'llmops-sim',
              root: id,
              max_model_len: m.max_model_len,
            })),
        })
      case 'POST /v1/chat/completions':
        return generate('chat', req, res, arrival)
      case 'POST /v1/completions':
        return generate('completion', req, res, arrival)
      case 'POST /tokenize':
        return tokenize(req, res)
      case 'POST /detokenize':
        return detokenize(req, res)
      case 'POST /sim/faults':
        faults.inject(await readJson(req))
        return sendJson(res, 200, { ok: true })
      case 'DELETE /sim/faults':
        faults.clear()
        return sendJson(res, 200, { ok: true })
      case 'GET /sim/requests':
        return sendJson(res, 200, { clock: 'monotonic ms', requests: metrics.requestTruths() })
      case 'DELETE /sim/requests':
        metrics.clearTruths()
        return sendJson(res, 200, { ok: true })
      default:
        return sendJson(res, 404, errorBody(404, `no route ${key}`))
    }
  }

  const server = createServer((req, res) => {
    stats.requests += 1
    stats.inFlight += 1
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
    route(req, res, process.hrtime.bigint())
      .catch((error: unknown) => {
        if (res.headersSent) return void res.destroy()
        if (error instanceof BadRequest)
          return sendJson(res, error.status, errorBody(error.status, error.message, error.param))
        sendJson(res, 500, errorBody(500, error instanceof Error ? error.message : String(error)))
      })
      .finally(() => {
        stats.inFlight -= 1
        stats.completed += 1
      })
  })
  server.keepAliveTimeout = 60_000
  server.headersTimeout = 65_000
  server.requestTimeout = 0
  server.maxHeadersCount = 0
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://${host}:${port}`
  return {
    url: `${origin}/v1`,
    origin,
    port,
    stats,
    inject: (fault) => void faults.inject(fault),
    clearFaults: () => faults.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
