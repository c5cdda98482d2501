import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Command, CommandContext, CommandResult } from '../cli/command.js'
import { parseCommandArgs } from '../cli/args.js'
import { loadConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { ConfigurationError, ExitCode, getErrorMessage, UsageError } from '../errors.js'
import { createGitHubClient } from '../github/client.js'
import { readRunContext } from '../github/context.js'
import { catalogFromConfig } from './catalog.js'
import { githubPort } from './github-port.js'
import { parseComment } from './grammar.js'
import { handleComment, replyKey, type Outcome } from './handle-comment.js'
import type { ChatopsGitHub } from './port.js'
import { classifyEvent, type CommentTrigger } from './trigger.js'

const USAGE =
  'llmops command [--event F] [--event-name issue_comment|pull_request_review_comment] [--config F]'
const DEFAULT_CONFIG = '.github/llmops.yml'

/** Makes the GitHub port for a trigger; tests replace it. */
export type PortFactory = (ctx: CommandContext, trigger: CommentTrigger) => ChatopsGitHub

const defaultPort: PortFactory = (ctx, trigger) => {
  const selfLogin = ctx.env.LLMOPS_BOT_LOGIN
  return githubPort(
    createGitHubClient(ctx.env, ctx.logger),
    { owner: trigger.repo.owner, repo: trigger.repo.name },
    { logger: ctx.logger, ...(selfLogin ? { selfLogin } : {}) },
  )
}

async function readEventText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    throw new UsageError(`llmops command: cannot read the event payload ${file}`)
  }
}

function repositoryOf(text: string): string | undefined {
  try {
    const name = (JSON.parse(text) as { repository?: { full_name?: unknown } } | null)?.repository
      ?.full_name
    return typeof name === 'string' ? name : undefined
  } catch {
    throw new UsageError('llmops command: the event payload is not JSON')
  }
}

function inferEventName(payload: unknown): string {
  const p = payload as { issue?: unknown; pull_request?: unknown; comment?: unknown } | null
  if (p?.comment && p.issue) return 'issue_comment'
  if (p?.comment && p.pull_request) return 'pull_request_review_comment'
  return 'unknown'
}

async function loadOptionalConfig(ctx: CommandContext, file: string): Promise<Config | undefined> {
  try {
    return (await loadConfig(file, ctx.env, ctx.cwd)).config
  } catch (error) {
    // A missing file means the defaults, which are the strictest settings; a broken file is an error.
    if (error instanceof ConfigurationError && /configuration file not found/.test(error.message)) {
      ctx.logger.info(`${file} not found: using the default command rules`)
      return undefined
    }
    throw error
  }
}

async function reportBrokenConfig(
  github: ChatopsGitHub,
  trigger: CommentTrigger,
  ctx: CommandContext,
  runUrl: string | undefined,
): Promise<void> {
  const body = `The llmops configuration could not be read, so no command was run. ${
    runUrl ? `The problems are listed in the [workflow log](${runUrl}).` : 'See the workflow log.'
  }`
  try {
    await github.react({ commentId: trigger.commentId, source: trigger.source }, 'confused')
    await github.reply(trigger.pr, replyKey('config'), body)
  } catch (error) {
    ctx.logger.warn(`could not report the configuration problem: ${getErrorMessage(error)}`)
  }
}

function result(outcome: Outcome): CommandResult {
  return {
    exitCode: outcome.exitCode,
    outputs: {
      command: outcome.command ?? '',
      sha: outcome.sha ?? '',
      dispatched: String(outcome.status === 'dispatched'),
    },
    summary: `### llmops command\n\n${outcome.status}${outcome.command ? ` \`/${outcome.command}\`` : ''}${outcome.sha ? ` on \`${outcome.sha}\`` : ''}${outcome.runUrl ? ` · [run](${outcome.runUrl})` : ''}\n`,
  }
}

/** Builds `llmops command`; the port factory is injectable so tests can run it without a network. */
export function createCommandCommand(makePort: PortFactory = defaultPort): Command {
  return {
    name: 'command',
    summary: 'Handle a PR comment command (/eval, /benchmark, /deploy, /finetune, /help)',
    usage: USAGE,
    async run(ctx) {
      const { values } = parseCommandArgs({ name: 'command', usage: USAGE }, ctx.argv, {
        event: { type: 'string' },
        'event-name': { type: 'string' },
        config: { type: 'string' },
      })
      const eventFile = values.event ?? ctx.env.GITHUB_EVENT_PATH
      if (!eventFile)
        throw new UsageError(
          `llmops command: pass --event F or set GITHUB_EVENT_PATH\nusage: ${USAGE}`,
        )
      const eventPath = path.resolve(ctx.cwd, eventFile)
      const text = await readEventText(eventPath)
      // The run context as the action reads it; outside Actions the repository comes from the payload.
      const fallbackRepo = repositoryOf(text)
      const run = readRunContext(
        {
          ...ctx.env,
          GITHUB_EVENT_PATH: eventPath,
          ...(!ctx.env.GITHUB_REPOSITORY && fallbackRepo
            ? { GITHUB_REPOSITORY: fallbackRepo }
            : {}),
        },
        () => text,
      )
      const eventName =
        values['event-name'] ??
        (ctx.env.GITHUB_EVENT_NAME ? run.eventName : inferEventName(run.payload))
      const decision = classifyEvent(eventName, run.payload, ctx.env.LLMOPS_BOT_LOGIN)
      if (!decision.handle) {
        ctx.logger.info(`nothing to do: ${decision.reason}`)
        return result({ status: 'ignored', reason: decision.reason, exitCode: ExitCode.ok })
      }
      const { trigger } = decision
      if (run.repository.toLowerCase() !== trigger.repo.fullName.toLowerCase()) {
        throw new UsageError(
          `llmops command: the event is for ${trigger.repo.fullName} but GITHUB_REPOSITORY is ${run.repository}`,
        )
      }
      if (parseComment(trigger.body).length === 0) {
        ctx.logger.info('nothing to do: no command in the comment')
        return result({
          status: 'ignored',
          reason: 'no command in the comment',
          exitCode: ExitCode.ok,
        })
      }
      const github = makePort(ctx, trigger)
      let config: Config | undefined
      try {
        config = await loadOptionalConfig(ctx, values.config ?? DEFAULT_CONFIG)
      } catch (error) {
        // Say so on the pull request rather than failing silently, then fail the step (exit 2).
        await reportBrokenConfig(github, trigger, ctx, run.runUrl)
        throw error
      }
      const outcome = await handleComment(
        { github, logger: ctx.logger, serverUrl: run.serverUrl },
        trigger,
        catalogFromConfig(config),
      )
      return result(outcome)
    },
  }
}

/** `llmops command`: handle a PR comment command (/eval, /benchmark, /deploy, /finetune, /help). */
export const commandCommand = createCommandCommand()
