/** One SSE event carrying a JSON payload, framed as OpenAI-compatible servers do. */
export function sseEvent(json: string): string {
  return `data: ${json}\n\n`
}

/** The terminating event of an OpenAI stream. */
export const SSE_DONE = 'data: [DONE]\n\n'

/**
 * Serializes a chunk and, when asked, inserts the server's monotonic send time as `sim_sent_ns`
 * (a string of nanoseconds from process.hrtime.bigint(), the same CLOCK_MONOTONIC in every process on
 * Linux). The time is read after serialization so it is as close to the socket write as possible.
 */
export function chunkJson(payload: Record<string, unknown>, embedSendTime: boolean): string {
  const json = JSON.stringify(payload)
  if (!embedSendTime) return json
  return `{"sim_sent_ns":"${process.hrtime.bigint()}",${json.slice(1)}`
}

/** Parses the `data:` payloads of an SSE body (test helper and client fallback); comments are skipped. */
export function parseSseData(body: string): string[] {
  const out: string[] = []
  for (const block of body.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
    if (data.length > 0) out.push(data.join('\n'))
  }
  return out
}
