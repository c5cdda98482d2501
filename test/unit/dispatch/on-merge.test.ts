import { describe, expect, it } from 'vitest'
import { onMergeSchema } from '../../../src/dispatch/config-schema.js'
import { decideOnMerge, type MergeFacts } from '../../../src/dispatch/on-merge.js'

const push = (over: Partial<MergeFacts> = {}): MergeFacts => ({
  event: 'push',
  merged: true,
  ref: 'refs/heads/main',
  pull: { number: 7, labels: ['finetune'] },
  changedFiles: ['training/lora.yaml', 'README.md'],
  ...over,
})
const cfg = (raw: unknown) => onMergeSchema.parse(raw)
const finetune = { kind: 'finetune' } as const

describe('decideOnMerge', () => {
  it('runs everything without on_merge, and always on workflow_dispatch', () => {
    expect(decideOnMerge(undefined, finetune, push()).run).toBe(true)
    expect(
      decideOnMerge(cfg({ finetune: false }), finetune, {
        event: 'workflow_dispatch',
        merged: true,
      }).run,
    ).toBe(true)
  })

  it('gates fine-tune on finetune: true and deploy on the listed environments', () => {
    expect(decideOnMerge(cfg({}), finetune, push())).toEqual({
      run: false,
      reason: 'on_merge.finetune is not true',
    })
    const c = cfg({ deploy: ['staging'] })
    expect(decideOnMerge(c, { kind: 'deploy', environment: 'staging' }, push()).run).toBe(true)
    expect(decideOnMerge(c, { kind: 'deploy', environment: 'prod' }, push())).toEqual({
      run: false,
      reason: "on_merge.deploy does not list 'prod'",
    })
  })

  it('needs one of the labels on the merged pull request', () => {
    const c = cfg({ finetune: true, labels: ['finetune', 'retrain'] })
    expect(decideOnMerge(c, finetune, push()).run).toBe(true)
    expect(decideOnMerge(c, finetune, push({ pull: { number: 7, labels: ['docs'] } }))).toEqual({
      run: false,
      reason: 'pull request #7 has none of the labels finetune, retrain',
    })
    const { pull: _, ...noPull } = push()
    expect(decideOnMerge(c, finetune, noPull).run).toBe(false)
  })

  it('matches changed files against the path globs', () => {
    const c = cfg({ finetune: true, paths: ['training/**', '*.cfg'] })
    expect(decideOnMerge(c, finetune, push())).toEqual({
      run: true,
      reason: 'training/lora.yaml matches on_merge.paths',
    })
    expect(decideOnMerge(c, finetune, push({ changedFiles: ['setup.cfg'] })).run).toBe(true)
    expect(decideOnMerge(c, finetune, push({ changedFiles: ['src/a/setup.cfg'] })).run).toBe(false)
    expect(decideOnMerge(c, finetune, push({ changedFiles: ['docs/training/x.md'] }))).toEqual({
      run: false,
      reason: 'no changed file matches training/**, *.cfg',
    })
  })

  it('skips pushes to other branches and PRs closed without merging', () => {
    const c = cfg({ finetune: true })
    expect(decideOnMerge(c, finetune, push({ merged: false, ref: 'refs/heads/dev' })).reason).toBe(
      'push to refs/heads/dev is not a push to the default branch',
    )
    expect(decideOnMerge(c, finetune, { event: 'pull_request', merged: false }).reason).toBe(
      'pull request closed without merging',
    )
  })
})
