/**
 * Writes the root `action.yml` and every `actions/<name>/action.yml` from the typed registry in
 * `src/action/io.ts`. Run after changing the registry: `npx tsx scripts/gen-action-yml.ts`
 * (`--check` exits 1 when a file is stale instead of writing).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { renderAllActionYml } from '../src/action/action-yml.js'
import { actionIo } from '../src/action/io.js'

const root = path.resolve(import.meta.dirname, '..')
const check = process.argv.includes('--check')
let stale = 0
for (const [file, content] of renderAllActionYml(actionIo)) {
  const target = path.join(root, file)
  let current: string | undefined
  try {
    current = readFileSync(target, 'utf8')
  } catch {
    current = undefined
  }
  if (current === content) continue
  stale += 1
  if (check) {
    console.error(`${file} is stale: run npx tsx scripts/gen-action-yml.ts`)
  } else {
    mkdirSync(path.dirname(target), { recursive: true })
    writeFileSync(target, content)
    console.log(`wrote ${file}`)
  }
}
if (check && stale > 0) process.exitCode = 1
