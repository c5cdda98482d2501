/**
 * The same simulated server measured by `vllm bench serve` (unmodified, vLLM 0.33.0 from PyPI) and by
 * `llmops bench`, each tool's timings checked request by request against what the server did.
 *
 *   bash scripts/setup-vllm-bench.sh      # once: a venv with vllm and its torch (several GB)
 *   npx tsx bench/latency-vs-vllm.ts [--streams 16,64,128,256] [--tokens 40] [--itl 20] [--pin]
 *
 * Both tools send `x-request-id`; the simulator records, for every id, when the request arrived and
 * when it wrote each token (GET /sim/requests). A tool's TTFT error is its TTFT minus the server's
 * (first token write - arrival); its event error is, for every token event, the tool's time of that
 * event since its send minus the server's write time since arrival (vLLM's event times are its ttft
 * plus the running sum of its itl list). Both errors include the loopback hop from send to arrival,
 * the same for both tools. Every decode step sends one token to all streams at once (aligned grid).
 * Each tool also prints its own summary, as it reports it.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { request } from 'undici'
import type { RequestTruth } from '../src/sim/metrics.js'
import { percentile } from '../src/stats/percentile.js'
import { gridProfile, runOurs, startSimChild } from './lib/sim-child.js'

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '16,64,128,256' },
    tokens: { type: 'string', default: '40' },
    itl: { type: 'string', default: '20' },
    ttft: { type: 'string', default: '20' },
    vllm: { type: 'string', default: '.venv-vllm-full/bin/vllm' },
    tokenizer: { type: 'string', default: '.cache/tiny-model/tokenizer.json' },
    pin: { type: 'boolean', default: false },
  },
})
const streamsList = values.streams.split(',').map(Number)
const tokens = Number(values.tokens)
const itl = Number(values.itl)

const q = (xs: number[], p: number) => (xs.length > 0 ? percentile(xs, p) : NaN)
const f = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–')
const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN)

interface Errors {
  ttft: number[]
  events: number[]
  /** Event errors relative to the request's first token: the request path cancels out. */
  relative: number[]
  matched: number
  mismatched: number
}

async function truths(origin: string): Promise<Map<string, RequestTruth>> {
  const res = await request(`${origin}/sim/requests`)
  const body = (await res.body.json()) as { requests: RequestTruth[] }
  return new Map(body.requests.map((r) => [r.id, r]))
}

/** Errors of one tool given, per request id, its TTFT and its event times since send (ms). */
function errors(
  measured: { id: string; ttft: number | null; events: number[] }[],
  truth: Map<string, RequestTruth>,
): Errors {
  const out: Errors = { ttft: [], events: [], relative: [], matched: 0, mismatched: 0 }
  for (const m of measured) {
    const t = truth.get(m.id)
    if (!t || m.ttft === null || t.token_ms.length === 0) {
      out.mismatched++
      continue
    }
    out.matched++
    out.ttft.push(m.ttft - (t.token_ms[0]! - t.arrival_ms))
    if (m.events.length !== t.token_ms.length) {
      out.mismatched++
      continue
    }
    m.events.forEach((e, k) => {
      out.events.push(e - (t.token_ms[k]! - t.arrival_ms))
      if (k > 0) out.relative.push(e - m.events[0]! - (t.token_ms[k]! - t.token_ms[0]!))
    })
  }
  return out
}

function tokenizerDir(): string {
  if (!existsSync(values.tokenizer))
    throw new Error(
      `no tokenizer at ${values.tokenizer}: run 'npm run test:integration' once (it generates the tiny model) or pass --tokenizer`,
    )
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vllm-tokenizer-'))
  copyFileSync(values.tokenizer, path.join(dir, 'tokenizer.json'))
  writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'PreTrainedTokenizerFast', model_max_length: 1_000_000 }),
  )
  return dir
}

interface VllmResult {
  ttfts: number[]
  itls: number[][]
  errors: string[]
  [k: string]: unknown
}

function runVllm(origin: string, b: number, tok: string, outDir: string): VllmResult {
  const file = `vllm-${b}.json`
  const res = spawnSync(
    values.vllm,
    [
      'bench',
      'serve',
      '--backend',
      'openai-chat',
      '--base-url',
      origin,
      '--endpoint',
      '/v1/chat/completions',
      '--model',
      'm',
      '--tokenizer',
      tok,
      '--dataset-name',
      'random',
      '--random-input-len',
      '8',
      '--random-output-len',
      String(tokens),
      '--num-prompts',
      String(b * 2),
      '--max-concurrency',
      String(b),
      '--num-warmups',
      String(b),
      '--ignore-eos',
      '--request-id-prefix',
      `vllm-${b}-`,
      '--percentile-metrics',
      'ttft,tpot,itl,e2el',
      '--metric-percentiles',
      '50,99',
      '--save-result',
      '--save-detailed',
      '--result-dir',
      outDir,
      '--result-filename',
      file,
      '--disable-tqdm',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, HF_HUB_OFFLINE: '1' } },
  )
  if (res.status !== 0)
    throw new Error(`vllm bench serve failed (${res.status}):\n${res.stderr.slice(-3000)}`)
  return JSON.parse(readFileSync(path.join(outDir, file), 'utf8')) as VllmResult
}

async function main() {
  if (!existsSync(values.vllm))
    throw new Error(`${values.vllm} not found: run 'bash scripts/setup-vllm-bench.sh' first`)
  const version = spawnSync(values.vllm, ['--version'], { encoding: 'utf8' }).stdout.trim()
  const tok = tokenizerDir()
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'vllm-vs-llmops-'))
  const sim = await startSimChild(gridProfile(Number(values.ttft), itl), { pin: values.pin })
  console.log(
    `simulator ${sim.url}: TTFT ${values.ttft} ms, one token per ${itl} ms step to every stream, ${tokens} tokens per request; vllm ${version}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )} on ${os.availableParallelism()} cores${values.pin ? ' (simulator pinned to its own core)' : ''}\n`,
  )
  const rows: string[] = []
  const own: string[] = []
  const sustain = { ours: 0, vllm: 0 }
  for (const b of streamsList) {
    // vLLM first: its run ends with its own summary, which we print next to ours.
    const v = runVllm(sim.origin, b, tok, outDir)
    let truth = await truths(sim.origin)
    const vErr = errors(
      v.ttfts.map((t, i) => {
        const ttftMs = t * 1000
        const gaps = (v.itls[i] ?? []).map((g) => g * 1000)
        const events = [ttftMs]
        for (const g of gaps) events.push(events.at(-1)! + g)
        return { id: `vllm-${b}-${i}`, ttft: v.errors[i] ? null : ttftMs, events }
      }),
      truth,
    )
    const outcome = await runOurs(sim.url, { streams: b, tokens, warmup: b })
    truth = await truths(sim.origin)
    const oErr = errors(
      outcome.requests.map((r) => ({
        id: r.request_id ?? '',
        ttft: r.ttft_ms,
        events: r.token_times.map((t) => t - r.t_send),
      })),
      truth,
    )
    const rate = (b * 1000) / itl
    if (q(oErr.relative, 99) <= 5) sustain.ours = Math.max(sustain.ours, rate)
    if (q(vErr.relative, 99) <= 5) sustain.vllm = Math.max(sustain.vllm, rate)
    rows.push(
      `| ${b} | ${rate.toFixed(0)} | ${f(q(oErr.relative, 50))} / ${f(q(oErr.relative, 99))} | ${f(q(vErr.relative, 50))} / ${f(q(vErr.relative, 99))} | ${f(q(oErr.events, 50))} / ${f(q(oErr.events, 99))} | ${f(q(vErr.events, 50))} / ${f(q(vErr.events, 99))} | ${f(q(oErr.ttft, 50))} / ${f(q(oErr.ttft, 99))} | ${f(q(vErr.ttft, 50))} / ${f(q(vErr.ttft, 99))} | ${oErr.matched}/${vErr.matched} | ${outcome.runs[0]?.validity.verdict ?? '–'} |`,
    )
    const s = outcome.runs[0]?.summary
    own.push(
      `| ${b} | llmops | ${f(s?.ttft_ms.mean ?? NaN)} | ${f(s?.ttft_ms.p50 ?? NaN)} | ${f(s?.ttft_ms.p99 ?? NaN)} | ${f(s?.tpot_ms.mean ?? NaN)} | ${f(s?.icl_ms.mean ?? NaN)} | ${f(s?.icl_ms.p99 ?? NaN)} | ${f(s?.e2e_ms.mean ?? NaN)} |`,
      `| ${b} | vllm bench serve | ${f(v.mean_ttft_ms as number)} | ${f(v.median_ttft_ms as number)} | ${f(v.p99_ttft_ms as number)} | ${f(v.mean_tpot_ms as number)} | ${f(v.mean_itl_ms as number)} | ${f(v.p99_itl_ms as number)} | ${f(v.mean_e2el_ms as number)} |`,
      `| ${b} | server (truth) | ${f(mean([...truth.values()].filter((t) => !t.id.startsWith('vllm-')).map((t) => t.token_ms[0]! - t.arrival_ms)))} | | | | | | |`,
    )
  }
  sim.stop()
  console.log(
    'Timing error against the server, ms (tool − truth). "after first token": each later token event, relative to the request\'s first (the request path cancels); "since send": every token event and TTFT, which also carry the send → server-arrival hop (the same for both tools).',
  )
  console.log(
    '| streams | events/s | ours after first token p50 / p99 | vLLM after first token p50 / p99 | ours since send p50 / p99 | vLLM since send p50 / p99 | ours TTFT p50 / p99 | vLLM TTFT p50 / p99 | requests matched (ours/vLLM) | our validity |',
  )
  console.log('| ---: | ---: | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const r of rows) console.log(r)
  console.log('\nEach tool as it reports itself (ms; vLLM calls our ICL "ITL")')
  console.log(
    '| streams | tool | TTFT mean | TTFT p50 | TTFT p99 | TPOT mean | chunk gap mean | chunk gap p99 | E2E mean |',
  )
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of own) console.log(r)
  console.log(
    `\nhighest event rate with p99 error after the first token <= 5 ms: ours ${sustain.ours} events/s, vllm bench serve ${sustain.vllm} events/s (ratio ${sustain.vllm > 0 ? (sustain.ours / sustain.vllm).toFixed(2) : '∞'})`,
  )
}

await main()
