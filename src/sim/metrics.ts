/**
 * The simulator's Prometheus `/metrics`, in vLLM's names and bucket boundaries
 * (`vllm/v1/metrics/buckets.py`), so the benchmark's server-side cross-check can be tested end to end.
 * Times are taken where vLLM takes them: from the request's arrival (after its body was read) to each
 * write of generated tokens.
 */

const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0,
  40.0, 80.0, 160.0, 640.0, 2560.0,
]
const ITL_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0,
  40.0, 80.0,
]
const REQUEST_LATENCY_BUCKETS = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0,
  480.0, 960.0, 1920.0, 7680.0,
]

class Histogram {
  readonly counts: number[]
  sum = 0
  count = 0
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {
    this.counts = bounds.map(() => 0)
  }
  observe(seconds: number): void {
    this.sum += seconds
    this.count++
    for (let i = 0; i < this.bounds.length; i++) if (seconds <= this.bounds[i]!) this.counts[i]!++
  }
  render(labels: string): string[] {
    const num = (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v))
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} histogram`,
      ...this.bounds.map(
        (b, i) => `${this.name}_bucket{${labels},le="${num(b)}"} ${this.counts[i]}`,
      ),
      `${this.name}_bucket{${labels},le="+Inf"} ${this.count}`,
      `${this.name}_count{${labels}} ${this.count}`,
      `${this.name}_sum{${labels}} ${this.sum}`,
    ]
  }
}

/** Per-request timing observer handed to the stream writer. */
export interface RequestObserver {
  /** The request left the waiting queue and started generating at `t` (ns). */
  started(t: bigint): void
  /** `tokens` generated tokens were written at monotonic time `t` (ns). */
  tokens(tokens: number, t: bigint): void
  /** The request ended (`ok` false when it was aborted or faulted). */
  end(ok: boolean, t: bigint): void
}

/**
 * What the server did with one request that carried an `x-request-id`, in ms on the simulator's
 * monotonic clock: the truth a client's timings can be checked against, request by request.
 */
export interface RequestTruth {
  id: string
  arrival_ms: number
  started_ms: number | null
  /** Each write of generated tokens: its time and how many tokens it carried. */
  token_ms: number[]
  tokens: number[]
  end_ms: number | null
}

/** Keeps at most this many request records (the oldest go first). */
const MAX_TRUTHS = 100_000

/** Request-level histograms of one simulator, per model, and per-request records by request id. */
export class SimMetrics {
  private readonly models = new Map<string, Histogram[]>()
  private readonly success = new Map<string, number>()
  private readonly truths = new Map<string, RequestTruth>()

  /** Records of requests that carried an `x-request-id`, oldest first. */
  requestTruths(): RequestTruth[] {
    return [...this.truths.values()]
  }

  clearTruths(): void {
    this.truths.clear()
  }

  private histograms(model: string) {
    let h = this.models.get(model)
    if (!h) {
      h = [
        new Histogram(
          'vllm:time_to_first_token_seconds',
          'Histogram of time to first token in seconds.',
          TTFT_BUCKETS,
        ),
        new Histogram(
          'vllm:inter_token_latency_seconds',
          'Histogram of inter-token latency in seconds.',
          ITL_BUCKETS,
        ),
        new Histogram(
          'vllm:request_time_per_output_token_seconds',
          'Histogram of time_per_output_token_seconds per request.',
          ITL_BUCKETS,
        ),
        new Histogram(
          'vllm:e2e_request_latency_seconds',
          'Histogram of e2e request latency in seconds.',
          REQUEST_LATENCY_BUCKETS,
        ),
        new Histogram(
          'vllm:request_queue_time_seconds',
          'Histogram of time spent in WAITING phase for request.',
          REQUEST_LATENCY_BUCKETS,
        ),
      ]
      this.models.set(model, h)
    }
    return h
  }

  /** Starts observing a request that arrived at `arrival` (monotonic ns). */
  request(model: string, arrival: bigint, id?: string): RequestObserver {
    const ms = (ns: bigint) => Number(ns) / 1e6
    let truth: RequestTruth | null = null
    if (id) {
      truth = {
        id,
        arrival_ms: ms(arrival),
        started_ms: null,
        token_ms: [],
        tokens: [],
        end_ms: null,
      }
      this.truths.delete(id)
      this.truths.set(id, truth)
      if (this.truths.size > MAX_TRUTHS) this.truths.delete(this.truths.keys().next().value!)
    }
    const [ttft, itl, tpot, e2e, queue] = this.histograms(model) as [
      Histogram,
      Histogram,
      Histogram,
      Histogram,
      Histogram,
    ]
    let first: bigint | null = null
    let last: bigint | null = null
    let produced = 0
    const s = (ns: bigint) => Number(ns) / 1e9
    let started = false
    return {
      started: (t) => {
        if (started) return
        started = true
        if (truth) truth.started_ms = ms(t)
        queue.observe(s(t - arrival))
      },
      tokens: (n, t) => {
        if (n <= 0) return
        truth?.token_ms.push(ms(t))
        truth?.tokens.push(n)
        if (first === null) {
          first = t
          ttft.observe(s(t - arrival))
        } else if (last !== null) {
          itl.observe(s(t - last))
        }
        last = t
        produced += n
      },
      end: (ok, t) => {
        if (truth) truth.end_ms = ms(t)
        if (!ok) return
        e2e.observe(s(t - arrival))
        if (first !== null && last !== null && produced > 1)
          tpot.observe(s(last - first) / (produced - 1))
        this.success.set(model, (this.success.get(model) ?? 0) + 1)
      },
    }
  }

  /** The Prometheus text exposition (format 0.0.4). */
  render(): string {
    const lines: string[] = []
    const byName = new Map<string, { labels: string; h: Histogram }[]>()
    for (const [model, hs] of this.models)
      for (const h of hs) {
        const list = byName.get(h.name) ?? []
        list.push({ labels: `engine="0",model_name=${JSON.stringify(model)}`, h })
        byName.set(h.name, list)
      }
    for (const list of byName.values()) {
      lines.push(...list[0]!.h.render(list[0]!.labels))
      for (const { labels, h } of list.slice(1)) lines.push(...h.render(labels).slice(2))
    }
    lines.push(
      '# HELP vllm:request_success_total Count of successfully processed requests.',
      '# TYPE vllm:request_success_total counter',
    )
    for (const [model, n] of this.success)
      lines.push(
        `vllm:request_success_total{engine="0",finished_reason="length",model_name=${JSON.stringify(model)}} ${n}`,
      )
    return `${lines.join('\n')}\n`
  }
}
