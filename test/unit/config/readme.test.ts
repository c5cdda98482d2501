import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../../src/config/load.js'
import { configSchema } from '../../../src/config/schema.js'

const readme = readFileSync('README.md', 'utf8')
const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Tests'))

describe('README configuration reference', () => {
  it('its example is a valid configuration', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1]
    expect(yaml).toBeDefined()
    const env = {
      CANDIDATE_URL: 'http://127.0.0.1:8000/v1',
      BASELINE_URL: 'http://127.0.0.1:8001/v1',
      JUDGE_URL: 'http://127.0.0.1:8002/v1',
      RAY_ADDRESS: 'http://127.0.0.1:8265',
      MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000',
    }
    expect(parseConfig(yaml!, 'README.md', env).version).toBe(1)
  })

  it('its key table lists exactly the top-level keys of the schema', () => {
    const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1])
    expect(documented.sort()).toEqual(Object.keys(configSchema.shape).sort())
  })
})
