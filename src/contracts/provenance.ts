import { z } from 'zod'

/** Where a set of results came from; the gate refuses comparisons whose gating fields differ. */
export const provenanceSchema = z
  .object({
    tool_version: z.string(),
    config_hash: z.string().nullable(),
    dataset_hashes: z.record(z.string(), z.string()),
    metric_definitions: z.record(z.string(), z.string()).optional(),
    models: z.record(z.string(), z.string()),
    servers: z.record(
      z.string(),
      z.object({ name: z.string(), version: z.string().nullable() }).loose(),
    ),
    seed: z.number().nullable(),
    runner: z
      .object({
        os: z.string(),
        arch: z.string(),
        cpus: z.number(),
        node: z.string(),
        name: z.string().nullable(),
      })
      .loose(),
    commit: z.string().nullable(),
    ref: z.string().nullable().optional(),
    started_at: z.string(),
    finished_at: z.string(),
  })
  .loose()
export type Provenance = z.infer<typeof provenanceSchema>
