// Eval runner throughput against the simulated model server at zero latency (the server in a child
// process, so only the runner's own work is measured here):
//   - in-flight / target concurrency: the time integral of requests in flight at the provider's
//     limiter over the run's wall time, divided by `concurrency` (target >= 0.98);
//   - CPU ms per case of the runner process (process.cpuUsage; target < 1 ms), next to an anchor:
//     a bare undici loop sending the same chat requests at the same concurrency with no templating,
//     metrics, results file or summary.
// Usage: npx tsx bench/eval-throughput.ts [cases=3000] [concurrency=8,32]
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { Agent, request } from 'undici'
import { stringify } from 'yaml'
import { memoryLogger } from '../src/core/logger.js'
import { runEval } from '../src/eval/run-eval.js'

const cases = Number(process.argv[2] ?? 3000)
const levels = (process.argv[3] ?? '8,32').split(',').map(Number)

async function startSim(): Promise<{ url: string; stop: () => void }> {
  const script = `
    import { startSimServer } from ${JSON.stringify(path.resolve('src/sim/server.ts'))}
    const s = await startSimServer({ profile: { models: { '*': { timing: { ttft_ms: 0, itl_ms: 0 } } } } })
    console.log(s.url)
    process.stdin.resume()
    process.stdin.on('end', () => s.close().then(() => process.exit(0)))
  `
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}`)))
  })
  return { url, stop: () => child.stdin.end() }
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since)
  return (d.user + d.system) / 1000
}

async function bareLoop(
  url: string,
  concurrency: number,
  n: number,
): Promise<{ cpuPerCase: number; wallMs: number }> {
  const agent = new Agent({ connections: concurrency + 2 })
  let next = 0
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  const worker = async () => {
    while (next < n) {
      const i = next++
      const body = {
        model: 'm',
        messages: [{ role: 'user', content: `Question number ${i}: what is ${i} plus ${i}?` }],
        temperature: 0,
        max_tokens: 16,
      }
      const res = await request(`${url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
        dispatcher: agent,
      })
      JSON.parse(await res.body.text())
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const wallMs = performance.now() - t0
  const cpuPerCase = cpuMs(cpu) / n
  await agent.close()
  return { cpuPerCase, wallMs }
}

const sim = await startSim()
const dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-bench-eval-'))
try {
  const rows = Array.from({ length: cases }, (_, i) =>
    JSON.stringify({
      id: `c${i}`,
      question: `Question number ${i}: what is ${i} plus ${i}?`,
      answer: `${2 * i}`,
    }),
  )
  await writeFile(path.join(dir, 'cases.jsonl'), `${rows.join('\n')}\n`)
  console.log(
    `eval runner throughput: ${cases} cases, simulator at zero latency in a child process, ${os.cpus().length} CPUs`,
  )
  console.log(
    'concurrency  in-flight/target  cases/s   runner CPU ms/case  bare undici CPU ms/case  ratio',
  )
  for (const concurrency of levels) {
    await writeFile(
      path.join(dir, 'llmops.yml'),
      stringify({
        version: 1,
        providers: { candidate: { base_url: sim.url, model: 'm', concurrency } },
        suites: [
          {
            name: 'qa',
            dataset: 'cases.jsonl',
            prompt: '{{ question }}',
            reference: 'answer',
            generation: { temperature: 0, max_tokens: 16 },
            metrics: ['exact', 'rougeL'],
          },
        ],
      }),
    )
    await bareLoop(sim.url, concurrency, 300) // warm-up of both paths
    const cpu = process.cpuUsage()
    const result = await runEval({
      configFile: 'llmops.yml',
      cwd: dir,
      env: {},
      out: `out-${concurrency}`,
      logger: memoryLogger(),
      signal: new AbortController().signal,
    })
    const runnerCpu = cpuMs(cpu) / cases
    const group = result.summary.suites.qa!.providers.candidate!
    const stats = (result.summary.clients as Record<string, { occupied_ms: number }>).candidate!
    const inFlight = stats.occupied_ms / (group.wall_ms! * concurrency)
    const bare = await bareLoop(sim.url, concurrency, cases)
    console.log(
      `${String(concurrency).padStart(11)}  ${inFlight.toFixed(3).padStart(16)}  ${((cases * 1000) / group.wall_ms!).toFixed(0).padStart(7)}   ${runnerCpu.toFixed(3).padStart(18)}  ${bare.cpuPerCase.toFixed(3).padStart(23)}  ${(runnerCpu / bare.cpuPerCase).toFixed(2).padStart(5)}x`,
    )
    if (result.errors > 0) console.log(`  (${result.errors} cases ended in errors)`)
  }
  console.log('targets: in-flight/target >= 0.98, runner CPU < 1 ms per case')
} finally {
  sim.stop()
  await rm(dir, { recursive: true, force: true })
}
