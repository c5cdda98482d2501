import type { Logger } from '../core/logger.js'
import { ExitCode, getErrorMessage } from '../errors.js'
import { authorize } from './authorize.js'
import { requiredPermission, type CommandCatalog, type WorkCommand } from './command-specs.js'
import { buildDispatch, commandId, type WorkOrder } from './dispatch-request.js'
import { parseComment } from './grammar.js'
import { pinHead } from './pin.js'
import type { ChatopsGitHub, ReactionContent } from './port.js'
import {
  dispatchedReply,
  dispatchFailedReply,
  environmentReply,
  helpReply,
  malformedReply,
  multipleCommandsReply,
  rejectedReply,
  unknownCommandReply,
} from './replies.js'
import type { CommentTrigger } from './trigger.js'
import { validateCommand, type ValidCommand } from './validate.js'

export interface HandleDeps {
  github: ChatopsGitHub
  logger: Logger
  /** e.g. https://github.com, for links to the dispatched runs. */
  serverUrl: string
}

/** What happened to a comment; `command` and `sha` are validated values only, never comment text. */
export interface Outcome {
  status: 'ignored' | 'replied' | 'rejected' | 'dispatched' | 'failed'
  reason: string
  command?: string
  sha?: string
  runUrl?: string
  exitCode: ExitCode
}

/** The sticky reply key of a command: one reply per pull request and command. */
export function replyKey(name: string): string {
  return name
}

/**
 * Handles one comment: parses it, and for a single well-formed command checks the commenter's role,
 * the environment allowlist and the pinned head SHA before dispatching the work. Each step that says
 * no replies, reacts 😕 and dispatches nothing.
 */
export async function handleComment(
  deps: HandleDeps,
  trigger: CommentTrigger,
  catalog: CommandCatalog,
): Promise<Outcome> {
  const { github, logger } = deps
  const found = parseComment(trigger.body)
  if (found.length === 0)
    return { status: 'ignored', reason: 'no command in the comment', exitCode: ExitCode.ok }

  const react = async (content: ReactionContent) => {
    try {
      await github.react({ commentId: trigger.commentId, source: trigger.source }, content)
    } catch (error) {
      logger.warn(`could not add the ${content} reaction: ${getErrorMessage(error)}`)
    }
  }
  const reply = async (key: string, body: string): Promise<string | undefined> => {
    try {
      return (await github.reply(trigger.pr, key, body)).url
    } catch (error) {
      logger.warn(`could not post the reply: ${getErrorMessage(error)}`)
      return undefined
    }
  }
  const reject = async (
    key: string,
    body: string,
    reason: string,
    extra: Partial<Outcome> = {},
  ): Promise<Outcome> => {
    logger.info(`command rejected: ${reason}`)
    await reply(key, body)
    await react('confused')
    return { status: 'rejected', reason, exitCode: ExitCode.ok, ...extra }
  }

  await react('eyes')
  if (found.length > 1) {
    return reject(
      replyKey('multiple'),
      multipleCommandsReply(found),
      `${found.length} commands in one comment`,
    )
  }
  const validation = validateCommand(found[0]!, catalog)
  if (!validation.ok && validation.kind === 'unknown') {
    return reject(
      replyKey('unknown'),
      unknownCommandReply(validation.name, catalog, validation.suggestion),
      'unknown command',
    )
  }
  if (!validation.ok) {
    return reject(
      replyKey(validation.spec.name),
      malformedReply(validation.spec, validation.problems, catalog),
      `malformed /${validation.spec.name}`,
    )
  }
  const command = validation.command
  if (command.name === 'help') {
    await reply(replyKey('help'), helpReply(catalog, command.positional))
    await react('+1')
    return { status: 'replied', reason: 'help', command: 'help', exitCode: ExitCode.ok }
  }
  return runWork(
    deps,
    trigger,
    catalog,
    { ...command, name: command.name },
    { react, reply, reject },
  )
}

type Feedback = {
  react: (content: ReactionContent) => Promise<void>
  reply: (key: string, body: string) => Promise<string | undefined>
  reject: (key: string, body: string, reason: string, extra?: Partial<Outcome>) => Promise<Outcome>
}

async function runWork(
  deps: HandleDeps,
  trigger: CommentTrigger,
  catalog: CommandCatalog,
  command: ValidCommand & { name: WorkCommand },
  { react, reply, reject }: Feedback,
): Promise<Outcome> {
  const { github, logger } = deps
  const key = replyKey(command.name)
  const base = { command: command.name }

  const auth = await authorize(github, trigger.author, requiredPermission(catalog, command.name))
  if (!auth.allowed) {
    // Refusals get their own reply, so nobody without the role can overwrite the run link.
    const outcome = await reject(
      replyKey(`${command.name}-refused`),
      rejectedReply(command, trigger.author, auth.reason),
      auth.reason,
      base,
    )
    return auth.level === undefined ? { ...outcome, exitCode: ExitCode.infrastructure } : outcome
  }

  let environment: string | undefined
  if (command.name === 'deploy') {
    environment = command.positional ?? ''
    if (!catalog.environments.includes(environment)) {
      return reject(
        key,
        environmentReply(command, catalog.environments),
        'environment not allowed',
        base,
      )
    }
  }

  const pin = await pinHead(github, {
    pr: trigger.pr,
    commentCreatedAt: trigger.createdAt,
    ...(command.sha !== undefined ? { explicitSha: command.sha } : {}),
  })
  if (!pin.ok)
    return reject(
      key,
      rejectedReply(command, trigger.author, pin.reason, pin.headSha),
      pin.reason,
      base,
    )

  const order: WorkOrder = {
    command: command.name,
    args: command.args,
    pr: trigger.pr,
    sha: pin.sha,
    commentId: trigger.commentId,
    actor: trigger.author,
    ...(environment !== undefined ? { environment } : {}),
  }
  const checkName = `llmops/${command.name}${environment ? ` (${environment})` : ''}`
  let checkRunId: number | undefined
  try {
    checkRunId = (
      await github.createCheckRun({
        name: checkName,
        headSha: pin.sha,
        status: 'queued',
        externalId: commandId(order),
        title: `/${command.name} requested by ${trigger.author}`,
        summary: `Dispatched from comment ${trigger.commentId} on pull request #${trigger.pr}, pinned to ${pin.sha}.`,
      })
    ).id
  } catch (error) {
    logger.warn(`could not create the check run: ${getErrorMessage(error)}`)
  }

  const repoUrl = `${deps.serverUrl}/${trigger.repo.fullName}`
  let runUrl: string
  let runIsExact = false
  let via: string
  try {
    const request = buildDispatch(
      { ...order, ...(checkRunId !== undefined ? { checkRunId } : {}) },
      catalog,
      trigger.repo.defaultBranch ?? 'main',
    )
    if (request.kind === 'workflow_dispatch') {
      const run = await github.workflowDispatch(request.workflow, request.ref, request.inputs)
      runIsExact = run.htmlUrl !== undefined
      runUrl = run.htmlUrl ?? `${repoUrl}/actions/workflows/${request.workflow}`
      via = `workflow_dispatch of ${request.workflow}`
    } else {
      await github.repositoryDispatch(request.eventType, request.clientPayload)
      runUrl = `${repoUrl}/actions?query=${encodeURIComponent(`event:repository_dispatch`)}`
      via = `repository_dispatch ${request.eventType}`
    }
  } catch (error) {
    const reason = `the dispatch failed (${getErrorMessage(error)})`
    logger.error(reason)
    if (checkRunId !== undefined) {
      await github
        .updateCheckRun(checkRunId, {
          conclusion: 'failure',
          title: 'Dispatch failed',
          summary: reason,
        })
        .catch((e: unknown) => logger.warn(`could not close the check run: ${getErrorMessage(e)}`))
    }
    await reply(key, dispatchFailedReply(command, reason))
    await react('confused')
    return { status: 'failed', reason, ...base, sha: pin.sha, exitCode: ExitCode.infrastructure }
  }

  if (checkRunId !== undefined && runIsExact) {
    await github
      .updateCheckRun(checkRunId, { detailsUrl: runUrl })
      .catch((e: unknown) =>
        logger.warn(`could not link the run from the check run: ${getErrorMessage(e)}`),
      )
  }
  await reply(
    key,
    dispatchedReply(command, { actor: trigger.author, sha: pin.sha, runUrl, runIsExact, via }),
  )
  await react('rocket')
  logger.info(`dispatched /${command.name} on ${pin.sha} (${via})`)
  return { status: 'dispatched', reason: via, ...base, sha: pin.sha, runUrl, exitCode: ExitCode.ok }
}
