/** A kubelet log timestamp (RFC 3339 with nanoseconds) at the start of a `timestamps=true` line. */
const STAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) ?(.*)$/

interface Mark {
  /** Normalised timestamp of the last line taken. */
  ts: string
  /** Lines with exactly that timestamp taken so far. */
  count: number
}

/**
 * Grows one log text out of repeated `tailLines=N&timestamps=true` reads of a Job's pods: each
 * read only adds the lines after the last one already taken (compared by timestamp, so a sliding
 * tail never repeats or reorders lines), and the text only ever grows, as the job follower
 * expects. Timestamps are stripped; a switch to another pod (a retry) starts with a header line.
 */
export class PodLogBuffer {
  private text = ''
  private lastPod: string | undefined
  private readonly marks = new Map<string, Mark>()

  /** Everything gathered so far. */
  get value(): string {
    return this.text
  }

  /** Adds the new lines of one read of `pod`'s log; `tailLines` is the N the read asked for. */
  add(pod: string, raw: string, tailLines: number): void {
    const lines = raw.replace(/\n$/, '').split('\n')
    if (raw === '' || lines.length === 0) return
    let key = ''
    const parsed = lines.map((line) => {
      const m = STAMPED.exec(line)
      // A line without a timestamp continues the previous one's moment.
      if (m) key = `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${m[3]}`
      return { key, text: m ? m[4]! : line }
    })
    const mark = this.marks.get(pod)
    const taken: string[] = []
    let sameAsMark = 0
    for (const line of parsed) {
      if (mark && line.key < mark.ts) continue
      if (mark && line.key === mark.ts && ++sameAsMark <= mark.count) continue
      taken.push(line.text)
    }
    const last = parsed[parsed.length - 1]!.key
    let count = parsed.filter((l) => l.key === last).length
    if (mark && last === mark.ts && parsed[0]!.key === last) count = Math.max(count, mark.count)
    this.marks.set(pod, { ts: last, count })
    if (taken.length === 0) return
    const window = parsed.length >= tailLines
    const gap = mark ? window && parsed[0]!.key > mark.ts : window
    const head: string[] = []
    if (this.lastPod !== undefined && this.lastPod !== pod) head.push(`--- pod ${pod} ---`)
    if (gap) head.push(`[earlier lines of ${pod} not shown: more than ${tailLines} new lines]`)
    this.lastPod = pod
    this.text += `${[...head, ...taken].join('\n')}\n`
  }
}
