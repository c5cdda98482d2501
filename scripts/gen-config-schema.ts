// Writes schema/llmops.schema.json (for editors: yaml-language-server) from the zod config schema.
// CI regenerates it and fails when the committed file is stale.
import { writeFileSync } from 'node:fs'
import { z } from 'zod'
import { configSchema } from '../src/config/schema.js'

const schema = z.toJSONSchema(configSchema, {
  io: 'input',
  unrepresentable: 'any',
  target: 'draft-2020-12',
})
const out = {
  ...schema,
  title: 'llmops-action configuration (.github/llmops.yml)',
}
writeFileSync('schema/llmops.schema.json', `${JSON.stringify(out, null, 2)}\n`)
console.log('wrote schema/llmops.schema.json')
