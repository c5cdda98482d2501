import type { Logger } from '../core/logger.js'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './context.js'
import { githubFailure } from './errors.js'
import { fitText } from './limits.js'

/** `output.summary` and `output.text` limit of the Checks API. */
export const CHECK_TEXT_LIMIT = 65_535
/** Annotations accepted per create/update request; more go in later PATCHes. */
export const ANNOTATIONS_PER_REQUEST = 50

export type CheckConclusion =
  'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required'

export interface CheckAnnotation {
  path: string
  startLine: number
  endLine?: number
  level: 'notice' | 'warning' | 'failure'
  message: string
  title?: string
  rawDetails?: string
}

export interface CheckRunOutput {
  title: string
  summary: string
  text?: string
  annotations?: CheckAnnotation[]
}

export interface CheckRunCreate {
  /** Unique per workflow (e.g. `llmops/gate (support-qa)`): the API cannot pick a check suite. */
  name: string
  headSha: string
  status?: 'queued' | 'in_progress' | 'completed'
  /** Required with `completed`; inconclusive results are `neutral`, never `success`. */
  conclusion?: CheckConclusion
  detailsUrl?: string
  externalId?: string
  output?: CheckRunOutput
}

export type CheckRunUpdate = Omit<CheckRunCreate, 'headSha' | 'name'> & { name?: string }

type Client = Pick<GitHubClient, 'rest'>

function annotationJson(a: CheckAnnotation) {
  return {
    path: a.path,
    start_line: a.startLine,
    end_line: a.endLine ?? a.startLine,
    annotation_level: a.level,
    message: fitText(a.message, 60_000),
    ...(a.title ? { title: a.title.slice(0, 255) } : {}),
    ...(a.rawDetails ? { raw_details: fitText(a.rawDetails, 60_000) } : {}),
  }
}

function outputJson(output: CheckRunOutput, annotations: CheckAnnotation[]) {
  return {
    title: output.title.slice(0, 255),
    summary: fitText(output.summary, CHECK_TEXT_LIMIT),
    ...(output.text !== undefined ? { text: fitText(output.text, CHECK_TEXT_LIMIT) } : {}),
    ...(annotations.length > 0 ? { annotations: annotations.map(annotationJson) } : {}),
  }
}

function fields(input: CheckRunUpdate) {
  const completed = input.conclusion !== undefined || input.status === 'completed'
  return {
    ...(input.name ? { name: input.name } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.conclusion ? { conclusion: input.conclusion, status: 'completed' as const } : {}),
    ...(completed ? { completed_at: new Date().toISOString() } : {}),
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    ...(input.externalId ? { external_id: input.externalId } : {}),
  }
}

async function sendRemainingAnnotations(
  client: Client,
  repo: RepoRef,
  id: number,
  output: CheckRunOutput,
  rest: CheckAnnotation[],
) {
  for (let i = 0; i < rest.length; i += ANNOTATIONS_PER_REQUEST) {
    try {
      await client.rest.checks.update({
        ...repo,
        check_run_id: id,
        output: outputJson(output, rest.slice(i, i + ANNOTATIONS_PER_REQUEST)),
      })
    } catch (error) {
      throw githubFailure(`adding annotations to check run ${id}`, error)
    }
  }
}

/**
 * Creates a check run; annotations beyond the first 50 follow in PATCHes of 50, and summary/text are
 * cut to 65,535 characters. Returns the run's id and page.
 */
export async function createCheckRun(
  client: Client,
  repo: RepoRef,
  input: CheckRunCreate,
): Promise<{ id: number; htmlUrl: string | null }> {
  const annotations = input.output?.annotations ?? []
  let data
  try {
    ;({ data } = await client.rest.checks.create({
      ...repo,
      head_sha: input.headSha,
      ...fields({ ...input, name: input.name }),
      name: input.name,
      ...(input.status === 'in_progress' ? { started_at: new Date().toISOString() } : {}),
      ...(input.output
        ? { output: outputJson(input.output, annotations.slice(0, ANNOTATIONS_PER_REQUEST)) }
        : {}),
    }))
  } catch (error) {
    throw githubFailure(`creating check run '${input.name}'`, error)
  }
  if (input.output)
    await sendRemainingAnnotations(
      client,
      repo,
      data.id,
      input.output,
      annotations.slice(ANNOTATIONS_PER_REQUEST),
    )
  return { id: data.id, htmlUrl: data.html_url }
}

/** Updates a check run (status, conclusion, output), with the same batching and limits as create. */
export async function updateCheckRun(
  client: Client,
  repo: RepoRef,
  id: number,
  update: CheckRunUpdate,
): Promise<void> {
  const annotations = update.output?.annotations ?? []
  try {
    await client.rest.checks.update({
      ...repo,
      check_run_id: id,
      ...fields(update),
      ...(update.output
        ? { output: outputJson(update.output, annotations.slice(0, ANNOTATIONS_PER_REQUEST)) }
        : {}),
    })
  } catch (error) {
    throw githubFailure(`updating check run ${id}`, error)
  }
  if (update.output)
    await sendRemainingAnnotations(
      client,
      repo,
      id,
      update.output,
      annotations.slice(ANNOTATIONS_PER_REQUEST),
    )
}

/** Caps annotations at `max` (each batch is a request against the rate limit), warning when some are dropped. */
export function capAnnotations(
  annotations: CheckAnnotation[],
  max: number,
  logger: Logger,
): CheckAnnotation[] {
  if (annotations.length <= max) return annotations
  logger.warn(
    `${annotations.length - max} of ${annotations.length} check-run annotations dropped (limit ${max}).`,
  )
  return annotations.slice(0, max)
}
