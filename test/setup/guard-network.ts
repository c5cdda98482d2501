import net from 'node:net'

type Policy = 'none' | 'loopback'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1'])

function targetHost(args: unknown[]): string | undefined {
  const first = args[0]
  if (Array.isArray(first)) return targetHost(first as unknown[])
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string }
    if (options.path) return 'unix'
    return options.host ?? 'localhost'
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return typeof args[1] === 'string' ? args[1] : 'localhost'
  }
  if (typeof first === 'string') return 'unix'
  return undefined
}

/** Makes every outgoing TCP connection outside the policy throw, so a test cannot reach the network by accident. */
export function guardNetwork(policy: Policy): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied below with the socket as `this`
  const original = net.Socket.prototype.connect
  net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
    const host = targetHost(args)
    const allowed =
      host === 'unix' ||
      (policy === 'loopback' &&
        host !== undefined &&
        (LOOPBACK.has(host) || host.startsWith('127.')))
    if (!allowed) {
      throw new Error(
        `network blocked in ${policy === 'none' ? 'unit' : 'component'} tests: connect to ${String(host)}`,
      )
    }
    return original.apply(this, args as Parameters<typeof original>)
  }
}
