import { z } from 'zod'
import { httpUrl, positiveInt } from '../config/common.js'

const ray = z.strictObject({
  target: z.literal('ray'),
  address: httpUrl,
  entrypoint: z.string().min(1),
  working_dir: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  num_gpus: z.number().min(0).optional(),
  token_env: z.string().optional(),
  timeout_s: positiveInt.default(6 * 3600),
})
const kubernetes = z.strictObject({
  target: z.literal('kubernetes'),
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS-1123 label')
    .optional()
    .describe(
      "Default: the kubeconfig context's namespace, the in-cluster service account's, or 'default'.",
    ),
  image: z.string().min(1),
  command: z.array(z.string()).min(1).describe('argv of the container; no shell is involved.'),
  env: z.record(z.string(), z.string()).optional(),
  gpus: z.int().min(0).default(0),
  gpu_resource: z.string().default('nvidia.com/gpu').describe('Extended resource name for gpus.'),
  resources: z
    .strictObject({
      requests: z.record(z.string(), z.string()).optional(),
      limits: z.record(z.string(), z.string()).optional(),
    })
    .optional()
    .describe('Container resources, e.g. {requests: {cpu: "4", memory: 32Gi}}.'),
  service_account: z.string().optional(),
  node_selector: z.record(z.string(), z.string()).optional(),
  tolerations: z
    .array(
      z.strictObject({
        key: z.string().optional(),
        operator: z.enum(['Exists', 'Equal']).optional(),
        value: z.string().optional(),
        effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
        toleration_seconds: z.int().optional(),
      }),
    )
    .optional()
    .describe('Pod tolerations, e.g. for tainted GPU nodes.'),
  image_pull_secrets: z.array(z.string()).optional(),
  backoff_limit: z.int().min(0).default(0),
  ttl_s: z.int().min(0).default(86_400).describe('ttlSecondsAfterFinished of the Job.'),
  timeout_s: positiveInt.default(6 * 3600),
  kubeconfig: z.string().optional().describe('Default: KUBECONFIG, in-cluster, ~/.kube/config.'),
  context: z.string().optional().describe('kubeconfig context; default its current-context.'),
  api_server: httpUrl.optional().describe('API server URL, instead of a kubeconfig.'),
  token_env: z.string().optional().describe('Environment variable with a bearer token.'),
})
const workflow = z.strictObject({
  target: z.literal('workflow'),
  workflow: z.string().min(1),
  ref: z.string().optional(),
  inputs: z.record(z.string(), z.string()).optional(),
  timeout_s: positiveInt.default(6 * 3600),
})
const webhook = z.strictObject({
  target: z.literal('webhook'),
  url: httpUrl,
  secret_env: z.string().min(1),
  status_url: httpUrl.optional(),
  timeout_s: positiveInt.default(6 * 3600),
})

export const jobTargetSchema = z.discriminatedUnion('target', [ray, kubernetes, workflow, webhook])
export type JobTarget = z.infer<typeof jobTargetSchema>

export const mlflowSchema = z.strictObject({
  tracking_uri: httpUrl,
  experiment: z.string().default('llmops'),
  model: z.string().optional(),
  alias: z.string().default('champion'),
  register_source: z
    .string()
    .optional()
    .describe(
      'Source of the fine-tuned model version ({artifact_uri}, {run_id}, {sha}, {short_sha}, {job_id}); default {artifact_uri}/model of the run the job logged into.',
    ),
  log_runs: z
    .boolean()
    .default(true)
    .describe(
      'Log every eval and benchmark run to the experiment (params, metrics, tags, report).',
    ),
})

export const deploySchema = z.strictObject({
  environments: z.record(
    z.string().regex(/^[a-z0-9-]{1,40}$/),
    z.strictObject({
      job: jobTargetSchema
        .optional()
        .describe(
          'The job that rolls the deployment out; without one, the deploy records it and moves the alias.',
        ),
      url: httpUrl.optional().describe('environment_url of the deployment.'),
      production: z.boolean().optional(),
      transient: z.boolean().optional(),
      smoke: z
        .strictObject({
          suite: z.string(),
          provider: z.string(),
          min_score: z
            .number()
            .optional()
            .describe(
              'Every metric mean of the smoke suite must reach this; default: no case may error.',
            ),
        })
        .optional()
        .describe('Smoke evaluation against the new endpoint; a failure rolls the alias back.'),
      required_contexts: z.array(z.string()).default([]),
    }),
  ),
})

export const onMergeSchema = z.strictObject({
  paths: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
  finetune: z.boolean().default(false),
  deploy: z.array(z.string()).optional(),
})
