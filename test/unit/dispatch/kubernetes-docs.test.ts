import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { jobTargetSchema } from '../../../src/dispatch/config-schema.js'

const doc = readFileSync('docs/dispatch.md', 'utf8')
const section = doc.slice(doc.indexOf('### Kubernetes Job'), doc.indexOf('### Webhook signature'))
const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as unknown)

describe('docs/dispatch.md, Kubernetes section', () => {
  it('its finetune example is a valid kubernetes target', () => {
    const { finetune } = blocks[0] as { finetune: unknown }
    const target = jobTargetSchema.parse(finetune)
    expect(target).toMatchObject({ target: 'kubernetes', gpus: 1, namespace: 'training' })
  })
})
