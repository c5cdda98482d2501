import { z } from 'zod'

export const verdictSchema = z.enum(['pass', 'fail', 'inconclusive'])
export type Verdict = z.infer<typeof verdictSchema>

export const gateCheckSchema = z
  .object({
    name: z.string(),
    kind: z.string().optional(),
    baseline: z.number().nullable(),
    candidate: z.number().nullable(),
    delta: z.number().nullable(),
    ci95: z.tuple([z.number(), z.number()]).nullable(),
    p_value: z.number().nullable(),
    adjusted_p: z.number().nullable(),
    n: z.number().optional(),
    verdict: verdictSchema,
    reason: z.string(),
  })
  .loose()
export type GateCheck = z.infer<typeof gateCheckSchema>

/** gate.json (DESIGN.md contract). */
export const gateSchema = z
  .object({
    verdict: verdictSchema,
    checks: z.array(gateCheckSchema),
    mde: z.record(z.string(), z.number().nullable()).or(z.number()).nullable(),
    provenance: z.object({ baseline: z.unknown(), candidate: z.unknown() }).loose(),
  })
  .loose()
export type Gate = z.infer<typeof gateSchema>
