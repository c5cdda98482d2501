import { suiteSchema, type SuiteConfig } from '../../eval/config-schema.js'
import type { BiasSuiteConfig } from '../config-schema.js'
import { bbqPrompt, unknownIndex } from './bbq.js'
import {
  loadBbq,
  loadCounterfactual,
  loadRepresentation,
  renderSlots,
  suitePath,
} from './suite-files.js'

/** Eval suite names of bias suites: `bias.<kind>.<name>`, so results rows say which aggregation applies. */
export function biasSuiteName(entry: Pick<BiasSuiteConfig, 'kind' | 'name'>): string {
  return `bias.${entry.kind}.${entry.name}`
}

/** Reads `bias.<kind>.<name>` back. */
export function parseBiasSuiteName(
  suite: string,
): { kind: BiasSuiteConfig['kind']; name: string } | null {
  const m = /^bias\.(counterfactual|bbq|representation)\.(.+)$/.exec(suite)
  return m ? { kind: m[1] as BiasSuiteConfig['kind'], name: m[2]! } : null
}

/** Counterfactual case ids are `<pair>::<attribute>:<group>`; the pair is the template (and sample). */
export function parseCounterfactualCase(
  id: string,
): { pair: string; attribute: string; group: string } | null {
  const m = /^(.+)::([^:]+):([^:]+)$/.exec(id)
  return m ? { pair: m[1]!, attribute: m[2]!, group: m[3]! } : null
}

async function cases(
  entry: BiasSuiteConfig,
  configDir: string,
): Promise<Record<string, unknown>[]> {
  const file = suitePath(configDir, entry.suite)
  const samples = entry.samples ?? 1
  const copies = (id: string) =>
    Array.from({ length: samples }, (_, s) => (samples > 1 ? `${id}~${s}` : id))
  switch (entry.kind) {
    case 'counterfactual': {
      const cf = await loadCounterfactual(file)
      return cf.templates.flatMap((t) =>
        copies(t.id).flatMap((pair) =>
          Object.entries(cf.attributes[t.attribute]!).map(([group, values]) => ({
            id: `${pair}::${t.attribute}:${group}`,
            prompt: renderSlots(t.prompt, values),
            bias_kind: 'counterfactual',
            attribute: t.attribute,
            group,
            pair,
          })),
        ),
      )
    }
    case 'bbq':
      return (await loadBbq(file)).map((item) => ({
        id: `bbq-${String(item.example_id)}`,
        prompt: bbqPrompt(item),
        bias_kind: 'bbq',
        bbq: { ...item, unknown_index: unknownIndex(item) },
      }))
    case 'representation': {
      const rep = await loadRepresentation(file)
      return rep.prompts.flatMap((prompt, i) =>
        copies(`rep-${i}`).map((id) => ({ id, prompt, bias_kind: 'representation' })),
      )
    }
  }
}

/**
 * Turns `safety.bias[]` into ordinary generate suites (inline cases, prompt `{{ prompt }}`) that
 * `llmops eval` runs against every provider like any other suite. Counterfactual case ids carry
 * the pair and group; BBQ cases carry their item for the `safety/bbq` metric.
 */
export async function biasEvalSuites(
  entries: readonly BiasSuiteConfig[],
  configDir: string,
): Promise<SuiteConfig[]> {
  const suites: SuiteConfig[] = []
  for (const entry of entries) {
    suites.push(
      suiteSchema.parse({
        name: biasSuiteName(entry),
        description: `${entry.kind} bias suite from ${entry.suite}`,
        task: 'generate',
        cases: await cases(entry, configDir),
        prompt: '{{ prompt }}',
        id: 'id',
        tags: ['safety', 'bias', entry.kind],
        ...(entry.metrics ? { metrics: entry.metrics } : {}),
        ...(entry.generation ? { generation: entry.generation } : {}),
        ...(entry.providers || entry.provider
          ? { providers: entry.providers ?? [entry.provider!] }
          : {}),
      }),
    )
  }
  return suites
}
