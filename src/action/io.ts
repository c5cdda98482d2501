/**
 * The one registry of every sub-action's inputs and outputs. `scripts/gen-action-yml.ts` writes each
 * `actions/<name>/action.yml` (and the root `action.yml`) from it, and a contract test checks they match.
 */
export interface InputSpec {
  description: string
  required?: boolean
  default?: string
  /** The CLI flag the input maps to; boolean inputs map to a bare flag when 'true'. */
  flag?: string
  boolean?: boolean
  /** The environment variable the input is passed as instead of a flag (e.g. the token). */
  env?: string
}

export interface ActionSpec {
  name: string
  description: string
  /** The CLI command the sub-action runs (same code path as `npx llmops <command>`). */
  command: string
  inputs: Record<string, InputSpec>
  outputs: Record<string, { description: string }>
  /** Whether the sub-action has a post step (a node action's `post:`; composite actions have none). */
  post?: boolean
}

const token: InputSpec = {
  description: 'GitHub token used for comments, check runs, deployments and dispatches.',
  default: '${{ github.token }}',
  env: 'GITHUB_TOKEN',
}
const config: InputSpec = {
  description: 'Path of the llmops configuration file.',
  default: '.github/llmops.yml',
  flag: '--config',
}
const mlflowUri: InputSpec = {
  description:
    'MLflow tracking URI; eval and benchmark runs are also logged with mlflow.tracking_uri or MLFLOW_TRACKING_URI.',
  flag: '--mlflow-uri',
}
const mlflowOutputs = {
  'mlflow-status': { description: 'logged or failed, when MLflow logging is configured.' },
  'mlflow-run-id': { description: 'ID of the MLflow run of this eval or benchmark.' },
  'mlflow-run-url': { description: 'Link to the MLflow run.' },
}

export const actionIo = {
  eval: {
    name: 'llmops eval',
    description:
      'Run evaluation suites against OpenAI-compatible model servers and write results.jsonl and summary.json.',
    command: 'eval',
    inputs: {
      config,
      suite: {
        description: 'Only run this suite (comma-separated list allowed).',
        flag: '--suite',
      },
      provider: {
        description: 'Only run this provider (comma-separated list allowed).',
        flag: '--provider',
      },
      shard: {
        description: 'Run shard i/n of the plan, e.g. 1/4, for a matrix across runners.',
        flag: '--shard',
      },
      out: { description: 'Output directory.', default: 'llmops-results/eval', flag: '--out' },
      resume: {
        description: 'Skip cases already finished in the output directory.',
        default: 'false',
        flag: '--resume',
        boolean: true,
      },
      tag: { description: 'Only run cases with this tag.', flag: '--tag' },
      'cache-dir': {
        description: 'Directory of the response cache (restore it with actions/cache).',
        default: '.llmops/cache',
        flag: '--cache-dir',
      },
      'no-cache': {
        description: 'Do not read or write the response cache.',
        default: 'false',
        flag: '--no-cache',
        boolean: true,
      },
      'mlflow-uri': mlflowUri,
    },
    outputs: {
      'results-dir': { description: 'Directory holding results.jsonl and summary.json.' },
      cases: { description: 'Number of cases run (scored or errored).' },
      errors: { description: 'Number of cases that ended in an error.' },
      ...mlflowOutputs,
    },
  },
  benchmark: {
    name: 'llmops benchmark',
    description:
      'Measure streaming latency (TTFT, TPOT, ITL, throughput, goodput) of an OpenAI-compatible server.',
    command: 'bench',
    inputs: {
      config,
      endpoint: {
        description: 'Base URL of the server (instead of the config).',
        flag: '--endpoint',
      },
      model: { description: 'Model name to request.', flag: '--model' },
      concurrency: {
        description: 'Comma-separated concurrency levels for closed-loop runs.',
        flag: '--concurrency',
      },
      rate: { description: 'Open-loop request rate per second.', flag: '--rate' },
      requests: {
        description: 'Measured requests per run (warmup comes on top).',
        flag: '--requests',
      },
      'input-tokens': { description: 'Synthetic prompt length in tokens.', flag: '--input-tokens' },
      'output-tokens': { description: 'Fixed output length in tokens.', flag: '--output-tokens' },
      scenario: {
        description: 'Only run this benchmark scenario of the config.',
        flag: '--scenario',
      },
      provider: { description: 'Provider of the config to benchmark.', flag: '--provider' },
      out: { description: 'Output directory.', default: 'llmops-results/bench', flag: '--out' },
      'mlflow-uri': mlflowUri,
    },
    outputs: {
      'bench-path': { description: 'Path of bench.json.' },
      validity: { description: 'valid, degraded or invalid.' },
      ...mlflowOutputs,
    },
  },
  gate: {
    name: 'llmops gate',
    description:
      'Compare the candidate with the baseline using paired statistics, write the report, post the sticky comment and the check run.',
    command: 'gate',
    inputs: {
      baseline: {
        description: 'Directory with the baseline results.',
        required: true,
        flag: '--baseline',
      },
      candidate: {
        description: 'Directory with the candidate results.',
        required: true,
        flag: '--candidate',
      },
      config,
      out: {
        description: 'Output directory for gate.json, report.md, report-full.md and junit.xml.',
        default: 'llmops-results/gate',
        flag: '--out',
      },
      comment: {
        description: 'Post or update the sticky PR comment.',
        default: 'true',
        flag: '--comment',
        boolean: true,
      },
      check: {
        description: 'Create a check run on the PR head.',
        default: 'true',
        flag: '--check',
        boolean: true,
      },
      'baseline-provider': {
        description:
          'Provider of the baseline rows when one results directory holds several (side by side).',
        flag: '--baseline-provider',
      },
      'candidate-provider': {
        description: 'Provider of the candidate rows when one results directory holds several.',
        flag: '--candidate-provider',
      },
      name: {
        description: 'Gate name: one sticky comment and one check run per PR and name.',
        flag: '--name',
      },
      'on-inconclusive': {
        description:
          'Check conclusion for an inconclusive gate: pass, fail or neutral (default from the config, else neutral).',
        flag: '--on-inconclusive',
      },
      'new-comment': {
        description:
          'Post a new comment on every run (older ones minimized) instead of updating the sticky one.',
        default: 'false',
        flag: '--new-comment',
        boolean: true,
      },
      pr: {
        description:
          'Pull request number, for workflow_run jobs whose event lists no PR (fork PRs); resolve it from the API, never from an artifact.',
        flag: '--pr',
      },
      sha: {
        description: 'PR head SHA (40 hex) the check run belongs to, with pr.',
        flag: '--sha',
      },
      'github-token': token,
    },
    outputs: {
      verdict: { description: 'pass, fail or inconclusive.' },
      'report-path': { description: 'Path of report.md (the comment body).' },
    },
  },
  command: {
    name: 'llmops command',
    description:
      'Handle /eval, /benchmark, /deploy, /finetune and /help comments on pull requests, safely.',
    command: 'command',
    inputs: {
      config,
      event: {
        description: 'Path of the event payload (defaults to GITHUB_EVENT_PATH).',
        flag: '--event',
      },
      'github-token': token,
    },
    outputs: {
      command: { description: 'The command that was accepted, if any.' },
      sha: { description: 'The pinned 40-hex head SHA the work must run on.' },
      dispatched: { description: "'true' when work was dispatched." },
    },
  },
  deploy: {
    name: 'llmops deploy',
    description:
      'Deploy an exact commit (GitHub Deployment, MLflow alias), smoke-evaluate it and roll back on failure.',
    command: 'deploy',
    inputs: {
      config,
      environment: { description: 'Target environment.', required: true, flag: '--environment' },
      sha: { description: '40-hex commit SHA to deploy.', required: true, flag: '--sha' },
      'mlflow-uri': { description: 'MLflow tracking URI.', flag: '--mlflow-uri' },
      model: { description: 'Registered model name.', flag: '--model' },
      version: { description: 'Model version to deploy.', flag: '--version' },
      alias: { description: 'Alias to move on success.', flag: '--alias' },
      'github-token': token,
    },
    outputs: {
      'deployment-id': { description: 'ID of the GitHub Deployment.' },
      status: { description: 'success, failure or error.' },
    },
  },
  finetune: {
    name: 'llmops finetune',
    description:
      'Dispatch a fine-tune job (Ray, Kubernetes, workflow, webhook) and follow it to a terminal state.',
    command: 'finetune',
    inputs: {
      config,
      target: {
        description: 'ray, kubernetes, workflow or webhook (instead of the config).',
        flag: '--target',
      },
      address: {
        description: 'Address of the target (e.g. the Ray dashboard URL).',
        flag: '--address',
      },
      entrypoint: { description: 'Entrypoint command for a Ray job.', flag: '--entrypoint' },
      image: { description: 'Container image of a Kubernetes Job.', flag: '--image' },
      'job-command': {
        description:
          'Command of a Kubernetes Job: a JSON array or words split on spaces (never a shell).',
        flag: '--command',
      },
      namespace: { description: 'Namespace of a Kubernetes Job.', flag: '--namespace' },
      kubeconfig: { description: 'kubeconfig file for a Kubernetes Job.', flag: '--kubeconfig' },
      timeout: { description: 'Seconds to wait for a terminal state.', flag: '--timeout' },
      sha: {
        description: '40-hex commit SHA the job trains from (default GITHUB_SHA).',
        flag: '--sha',
      },
      'mlflow-uri': mlflowUri,
      model: {
        description:
          'Register the fine-tuned model under this name in MLflow (the job logs into the run given to it as MLFLOW_RUN_ID).',
        flag: '--model',
      },
      'model-source': {
        description:
          'Source URI of the model version ({artifact_uri}, {run_id}, {sha}, {short_sha}, {job_id}); default {artifact_uri}/model.',
        flag: '--model-source',
      },
      'github-token': token,
    },
    outputs: {
      'job-id': { description: 'ID of the submitted job.' },
      status: { description: 'Terminal status (SUCCEEDED, FAILED, STOPPED).' },
      'model-version': {
        description: 'The registered model version (READY), when a model was given.',
      },
      'model-version-url': { description: 'Link to that version in MLflow.' },
    },
  },
  serve: {
    name: 'llmops serve',
    description:
      'Start an OpenAI-compatible model server on the runner, wait until it is ready, and stop it when the job ends.',
    command: 'serve',
    inputs: {
      'server-command': {
        description: 'Command that starts the server.',
        default: 'vllm serve',
        flag: '--server-command',
      },
      model: { description: 'Model to serve.', required: true, flag: '--model' },
      port: { description: 'Port to listen on.', default: '8000', flag: '--port' },
      timeout: { description: 'Seconds to wait for readiness.', default: '900', flag: '--timeout' },
    },
    outputs: {
      'base-url': { description: 'OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1.' },
    },
    post: true,
  },
} as const satisfies Record<string, ActionSpec>

export type ActionName = keyof typeof actionIo
