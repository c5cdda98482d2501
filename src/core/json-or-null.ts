import { request } from 'undici'

/**
 * One JSON request to a server's optional endpoint (probes of `/props`, `/version`, `/tokenize`...):
 * the parsed body on HTTP 200, null on any other status or failure. A GET without `body`, else a POST.
 */
export async function jsonOrNull(
  url: string,
  options: {
    headers?: Record<string, string>
    body?: unknown
    timeoutMs?: number
    signal?: AbortSignal | undefined
  } = {},
): Promise<unknown> {
  const { headers = {}, body, timeoutMs = 10_000, signal } = options
  try {
    const res = await request(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(signal ? { signal } : {}),
    })
    if (res.statusCode !== 200) {
      await res.body.dump()
      return null
    }
    return await res.body.json()
  } catch {
    return null
  }
}
