/**
 * Timing accuracy of the latency benchmark against injected truth, side by side with a Python client.
 *
 *   npx tsx bench/latency-accuracy.ts [--streams 1,16,64,128,256,512] [--tokens 40] [--itl 20] [--python PATH]
 *
 * The simulator runs in a child process and stamps every chunk with its CLOCK_MONOTONIC send time;
 * both clients stamp arrivals on the same clock (Node process.hrtime, Python time.perf_counter), so
 * `arrival - send` is each tool's own timing error per event. Every decode step sends one token to all
 * B streams at once (aligned grid), like a continuous-batching server. We report p50/p99 of that error,
 * the TTFT error against the true first-token send time, and the highest event rate each tool sustains
 * before its p99 error exceeds 5 ms.
 *
 * The Python side is vLLM's own `async_request_openai_chat_completions` (vllm/benchmarks/lib/
 * endpoint_request_func.py) when `vllm` imports from --python's interpreter, with `json.loads` wrapped
 * to read the embedded send time next to vLLM's timestamp; otherwise a Python aiohttp client that
 * reproduces vLLM's timing method (iter_any, split on blank lines, perf_counter, json.loads), labelled
 * as such. Numbers taken while other processes share the two cores are noisy.
 *
 * The vLLM side needs a separate venv (torch is not needed for the request function):
 *   python3 -m venv .venv-vllm && .venv-vllm/bin/pip install --no-deps vllm==0.33.0 \
 *     && .venv-vllm/bin/pip install aiohttp regex tqdm numpy
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { gridProfile, runOurs, startSimChild } from './lib/sim-child.js'
import { percentile } from '../src/stats/percentile.js'

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '1,16,64,128,256,512' },
    tokens: { type: 'string', default: '40' },
    itl: { type: 'string', default: '20' },
    ttft: { type: 'string', default: '20' },
    python: { type: 'string' },
    workers: { type: 'string' },
    pin: { type: 'boolean', default: false },
    'skip-python': { type: 'boolean', default: false },
  },
})
const streamsList = values.streams.split(',').map(Number)
const tokens = Number(values.tokens)
const itl = Number(values.itl)
const ttft = Number(values.ttft)

const LOAD_VLLM = [
  'import importlib.util, os',
  "s = importlib.util.find_spec('vllm')",
  "p = os.path.join(s.submodule_search_locations[0], 'benchmarks', 'lib', 'endpoint_request_func.py')",
  "f = importlib.util.spec_from_file_location('erf', p); m = importlib.util.module_from_spec(f); f.loader.exec_module(m)",
].join('\n')

const PY = String.raw`
import asyncio, json, sys, time, contextvars, os, resource
url, model, streams, tokens, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
import aiohttp
records = contextvars.ContextVar('records')
real_loads = json.loads
def loads(s, *a, **k):
    t = time.perf_counter()
    d = real_loads(s, *a, **k)
    lst = records.get(None)
    if lst is not None and isinstance(d, dict) and 'sim_sent_ns' in d:
        ch = d.get('choices') or []
        delta = (ch[0].get('delta') or {}) if ch else {}
        lst.append((t, int(d['sim_sent_ns']) / 1e9, bool(delta.get('content'))))
    return d
class J: pass
shim = J(); shim.loads = loads; shim.dumps = json.dumps; shim.JSONDecodeError = json.JSONDecodeError
tool = 'reference'
if mode == 'vllm':
    try:
        # vllm/__init__.py imports torch; the request function (where vllm bench serve takes its
        # timestamps) needs only aiohttp, so load that file from the installed wheel directly.
        import importlib.util
        spec = importlib.util.find_spec('vllm')
        path = os.path.join(spec.submodule_search_locations[0], 'benchmarks', 'lib', 'endpoint_request_func.py')
        fspec = importlib.util.spec_from_file_location('vllm_endpoint_request_func', path)
        erf = importlib.util.module_from_spec(fspec)
        fspec.loader.exec_module(erf)
        erf.json = shim
        tool = 'vllm'
    except Exception as e:
        print('vllm import failed: %r' % (e,), file=sys.stderr)
        mode = 'reference'

async def reference_request(session, body):
    # vLLM's timing method: iter_any, split on blank lines, perf_counter before json.loads.
    st = time.perf_counter(); ttft = None; buf = ''
    async with session.post(url + '/chat/completions', json=body) as resp:
        async for chunk_bytes in resp.content.iter_any():
            buf += chunk_bytes.decode('utf-8')
            while '\n\n' in buf:
                msg, buf = buf.split('\n\n', 1)
                msg = msg.strip()
                if not msg or msg.startswith(':'): continue
                chunk = msg.removeprefix('data: ')
                if chunk == '[DONE]': continue
                ts = time.perf_counter()
                data = shim.loads(chunk)
                if data.get('choices') and ttft is None:
                    ttft = ts - st
    return st, ttft

async def one(session, i):
    lst = []
    records.set(lst)
    body = {'model': model, 'messages': [{'role': 'user', 'content': 'Request %d' % i}], 'max_tokens': tokens,
            'stream': True, 'stream_options': {'include_usage': True}, 'ignore_eos': True}
    if mode == 'vllm':
        inp = erf.RequestFuncInput(prompt='Request %d' % i, api_url=url + '/chat/completions', prompt_len=4,
                                   output_len=tokens, model=model, ignore_eos=True)
        out = await erf.async_request_openai_chat_completions(inp, session)
        st, ttft = out.start_time, (out.ttft if out.success else None)
    else:
        st, ttft = await reference_request(session, body)
    first_token_sent = next((s for (_, s, c) in lst if c), None)
    return lst, (None if ttft is None or first_token_sent is None else (ttft - (first_token_sent - st)) * 1000)

async def main():
    conn = aiohttp.TCPConnector(limit=0, ttl_dns_cache=300, keepalive_timeout=60)
    async with aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=600), read_bufsize=10 * 1024 ** 2) as session:
        await asyncio.gather(*[one(session, -1 - i) for i in range(min(streams, 8))])
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        results = await asyncio.gather(*[one(session, i) for i in range(streams * 2)])
        r1 = resource.getrusage(resource.RUSAGE_SELF)
    delays = [(t - s) * 1000 for lst, _ in results for (t, s, _c) in lst]
    errs = [e for _, e in results if e is not None]
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    print(json.dumps({'tool': tool, 'delays_ms': delays, 'ttft_err_ms': errs, 'cpu_us_per_event': cpu / max(1, len(delays)) * 1e6}))

asyncio.run(main())
`

function pythonFor(): { exe: string; mode: 'vllm' | 'reference'; why: string } {
  const candidates = [values.python, '.venv-vllm/bin/python', '.venv/bin/python', 'python3'].filter(
    (p): p is string => !!p && (p === 'python3' || existsSync(p)),
  )
  for (const exe of candidates) {
    const probe = spawnSync(exe, ['-c', LOAD_VLLM], {
      encoding: 'utf8',
    })
    if (probe.status === 0) return { exe, mode: 'vllm', why: 'vllm request function loads' }
  }
  for (const exe of candidates) {
    const probe = spawnSync(exe, ['-c', LOAD_VLLM], {
      encoding: 'utf8',
    })
    const hasAiohttp = spawnSync(exe, ['-c', 'import aiohttp'], { encoding: 'utf8' }).status === 0
    if (hasAiohttp)
      return {
        exe,
        mode: 'reference',
        why: (probe.stderr.trim().split('\n').at(-1) ?? 'vllm not installed').slice(0, 200),
      }
  }
  throw new Error('no Python with aiohttp found (pass --python)')
}

const q = (xs: number[], p: number) => (xs.length > 0 ? percentile(xs, p) : NaN)
const f = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–')

async function main() {
  const py = pythonFor()
  const dir = await mkdtemp(path.join(os.tmpdir(), 'latency-accuracy-'))
  const pyFile = path.join(dir, 'client.py')
  await writeFile(pyFile, PY)
  const sim = await startSimChild(gridProfile(ttft, itl), { pin: values.pin })
  console.log(
    `simulator: ${sim.url}; TTFT ${ttft} ms, one token per ${itl} ms step to every stream, ${tokens} tokens per request, role-only first chunk`,
  )
  console.log(
    `python side: ${py.mode === 'vllm' ? `vLLM's async_request_openai_chat_completions (${py.exe})` : `reference aiohttp client reproducing vLLM's timing method (${py.exe}; vllm unusable: ${py.why})`}`,
  )
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.availableParallelism()} cores\n`,
  )
  const runPython = (b: number) => {
    const res = spawnSync(py.exe, [pyFile, sim.url, 'm', String(b), String(tokens), py.mode], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    })
    if (res.status !== 0) throw new Error(`python client failed: ${res.stderr}`)
    return JSON.parse(res.stdout) as {
      delays_ms: number[]
      ttft_err_ms: number[]
      cpu_us_per_event: number
    }
  }
  const rows: { b: number; rate: number; ours: number[]; theirs: number[] }[] = []
  const notes: string[] = []
  console.log(
    '| streams | events/s | ours p50 / p99 (ms) | python p50 / p99 (ms) | p99 ratio | ours TTFT err p50 / p99 | python TTFT err p50 / p99 | ours validity |',
  )
  console.log('| ---: | ---: | --- | --- | ---: | --- | --- | --- |')
  for (const b of streamsList) {
    const outcome = await runOurs(sim.url, {
      streams: b,
      tokens,
      warmup: Math.min(b, 8),
      workers: values.workers === undefined ? null : Number(values.workers),
    })
    const ours = outcome.requests.flatMap((r) => r.truth?.event_delay_ms ?? [])
    const oursTtft = outcome.requests
      .map((r) => (r.ttft_ms ?? NaN) - (r.truth?.ttft_ms ?? NaN))
      .filter(Number.isFinite)
    const run = outcome.runs[0]
    const theirs = values['skip-python']
      ? { delays_ms: [], ttft_err_ms: [], cpu_us_per_event: NaN }
      : runPython(b)
    const rate = (b * 1000) / itl
    if (run && run.validity.verdict !== 'valid')
      notes.push(`${b} streams: ${run.validity.reasons.join('; ')}`)
    rows.push({ b, rate, ours, theirs: theirs.delays_ms })
    console.log(
      `| ${b} | ${rate.toFixed(0)} | ${f(q(ours, 50))} / ${f(q(ours, 99))} | ${f(q(theirs.delays_ms, 50))} / ${f(q(theirs.delays_ms, 99))} | ${f(q(theirs.delays_ms, 99) / q(ours, 99))} | ${f(q(oursTtft, 50))} / ${f(q(oursTtft, 99))} | ${f(q(theirs.ttft_err_ms, 50))} / ${f(q(theirs.ttft_err_ms, 99))} | ${run?.validity.verdict ?? '–'} |`,
    )
  }
  sim.stop()
  if (notes.length > 0)
    console.log(`\nwhy our runs were not 'valid':\n${notes.map((n) => `- ${n}`).join('\n')}`)
  const sustain = (pick: (r: (typeof rows)[number]) => number[]) =>
    Math.max(0, ...rows.filter((r) => q(pick(r), 99) <= 5).map((r) => r.rate))
  const o = sustain((r) => r.ours)
  const t = sustain((r) => r.theirs)
  console.log(
    `\nhighest event rate with p99 timing error <= 5 ms: ours ${o} events/s, python ${t} events/s (ratio ${t > 0 ? (o / t).toFixed(2) : '∞'})`,
  )
  console.log(
    `load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
}

await main()
