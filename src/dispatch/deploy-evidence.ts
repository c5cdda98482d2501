import { getErrorMessage } from '../errors.js'
import { escapeInline } from '../report/escape.js'
import type { MlflowClient } from './mlflow.js'

/** An eval or benchmark run in MLflow that backs a deploy. */
export interface EvidenceRun {
  kind: string
  runId: string
  url: string
  status: string
  attempt?: string
  /** Metric means (keys without `.n` / `.ci95_*`), at most 20. */
  metrics: Record<string, number>
}

/** The MLflow runs found for the pull request (or commit) being deployed. */
export interface DeployEvidence {
  /** What was searched: `PR #42` or `commit abcdef123456`. */
  source: string
  runs: EvidenceRun[]
  /** Set when the search failed; the deploy goes on and says so. */
  error?: string
}

const MAX_METRICS = 20
const isMean = (key: string) => !/\.(n|ci95_low|ci95_high)$/.test(key)

/**
 * Finds the newest eval and benchmark runs logged for the merged PR (tag `llmops.pr`) or else the
 * commit (`llmops.sha`) in the experiment. Smoke runs are not evidence for the deploy they test.
 */
export async function findEvidence(
  client: MlflowClient,
  experiment: string,
  subject: { sha: string; pr?: number | undefined },
): Promise<DeployEvidence> {
  const source =
    subject.pr !== undefined ? `PR #${subject.pr}` : `commit ${subject.sha.slice(0, 12)}`
  try {
    const id = await client.findExperimentId(experiment)
    if (id === undefined) return { source, runs: [] }
    const filter =
      subject.pr !== undefined
        ? `tags.\`llmops.pr\` = '${subject.pr}'`
        : `tags.\`llmops.sha\` = '${subject.sha}'`
    const found = await client.searchRuns(id, filter, 50)
    const runs: EvidenceRun[] = []
    for (const kind of ['eval', 'bench']) {
      const run = found.find((r) =>
        r.data.tags?.some((t) => t.key === 'llmops.kind' && t.value === kind),
      )
      if (!run) continue
      const attempt = run.data.tags?.find((t) => t.key === 'llmops.attempt')?.value
      runs.push({
        kind,
        runId: run.info.run_id,
        url: client.runUrl(id, run.info.run_id),
        status: run.info.status,
        ...(attempt ? { attempt } : {}),
        metrics: Object.fromEntries(
          (run.data.metrics ?? [])
            .filter((m) => isMean(m.key))
            .slice(0, MAX_METRICS)
            .map((m) => [m.key, m.value]),
        ),
      })
    }
    return { source, runs }
  } catch (error) {
    return { source, runs: [], error: getErrorMessage(error) }
  }
}

/** Links and facts of one deploy, for the payload, the PR comment and the job summary. */
export interface DeployLinks {
  deploymentUrl?: string
  runUrl?: string
  jobUrl?: string
  jobId?: string
  modelVersionUrl?: string
  smokeRunUrl?: string
  evidence?: DeployEvidence
}

/** The JSON the GitHub Deployment carries (set once, at creation). */
export function deploymentPayload(
  req: { sha: string; model?: string; version?: string; alias: string; environment: string },
  links: DeployLinks & { pullRequest?: number | undefined },
): Record<string, unknown> {
  return {
    sha: req.sha,
    environment: req.environment,
    model: req.model ?? null,
    version: req.version ?? null,
    alias: req.alias,
    model_version_url: links.modelVersionUrl ?? null,
    pull_request: links.pullRequest ?? null,
    run_url: links.runUrl ?? null,
    evidence: links.evidence
      ? {
          source: links.evidence.source,
          ...(links.evidence.error ? { error: links.evidence.error.slice(0, 500) } : {}),
          runs: links.evidence.runs.map((r) => ({
            kind: r.kind,
            run_id: r.runId,
            url: r.url,
            status: r.status,
            metrics: r.metrics,
          })),
        }
      : null,
  }
}

const link = (text: string, url: string | undefined) => (url ? `[${text}](${url})` : text)

/** The evidence block under the step table: deployment, job and logs, model version, MLflow runs. */
export function evidenceMarkdown(
  facts: {
    environment: string
    deploymentId?: number | undefined
    model?: string | undefined
    version?: string | undefined
    alias: string
    previousVersion?: string | undefined
  },
  links: DeployLinks,
): string {
  const lines: string[] = []
  lines.push(
    `- Deployment: ${facts.deploymentId === undefined ? 'not recorded' : `#${facts.deploymentId}`} (${link(`${facts.environment} deployments`, links.deploymentUrl)})`,
  )
  const job = links.jobId
    ? link(`job \`${escapeInline(links.jobId, 80)}\``, links.jobUrl)
    : undefined
  if (job || links.runUrl)
    lines.push(
      `- Job and logs: ${[job, links.runUrl ? `${link('Actions run', links.runUrl)} (log)` : undefined].filter(Boolean).join(', ')}`,
    )
  if (facts.model !== undefined)
    lines.push(
      `- Model: ${link(`\`${escapeInline(facts.model, 100)}\` version ${facts.version ?? '?'}`, links.modelVersionUrl)}, alias \`${escapeInline(facts.alias, 60)}\` (before: ${facts.previousVersion ? `v${facts.previousVersion}` : 'unset'})`,
    )
  const ev = links.evidence
  if (ev) {
    const runs = ev.runs.map(
      (r) =>
        `${link(`${r.kind} run`, r.url)} ${escapeInline(r.status, 20)}${r.attempt && r.attempt !== '1' ? ` (attempt ${r.attempt})` : ''}`,
    )
    const text = ev.error
      ? `could not be read: ${escapeInline(ev.error, 200)}`
      : runs.length
        ? runs.join(', ')
        : 'no eval or benchmark run logged in MLflow'
    lines.push(`- Eval evidence (${ev.source}): ${text}`)
  }
  if (links.smokeRunUrl) lines.push(`- Smoke evaluation: ${link('MLflow run', links.smokeRunUrl)}`)
  return lines.join('\n')
}
