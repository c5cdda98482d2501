// A stand-in for a model server, started by `llmops serve` in the component tests.
// usage: node fake-server.mjs --port P [--mode ready|health-only|never|exit] [--delay MS] [--grandchild] [--ignore-term]
import { spawn } from 'node:child_process'
import http from 'node:http'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    model: { type: 'string', default: 'fake-model' },
    mode: { type: 'string', default: 'ready' },
    delay: { type: 'string', default: '0' },
    grandchild: { type: 'boolean', default: false },
    'ignore-term': { type: 'boolean', default: false },
  },
})

console.log(`fake server pid ${process.pid} mode ${values.mode}`)
if (values['ignore-term']) process.on('SIGTERM', () => console.log('ignoring SIGTERM'))
if (values.grandchild) {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
  console.log(`grandchild pid ${child.pid}`)
}
if (values.mode === 'exit') {
  console.error('error: model weights not found')
  process.exit(4)
}
setInterval(() => {}, 1000)
if (values.mode !== 'never') {
  setTimeout(() => {
    http
      .createServer((req, res) => {
        const json = (status, body) => {
          res.writeHead(status, { 'content-type': 'application/json' })
          res.end(JSON.stringify(body))
        }
        if (req.url === '/v1/models' && values.mode === 'ready')
          return json(200, { object: 'list', data: [{ id: values.model }] })
        if (req.url === '/health') return json(200, {})
        json(404, { error: 'not found' })
      })
      .listen(Number(values.port), values.host, () => console.log(`listening on ${values.port}`))
  }, Number(values.delay))
}
