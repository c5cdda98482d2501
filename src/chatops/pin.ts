import { getErrorMessage } from '../errors.js'
import { SHA } from './command-specs.js'
import type { ChatopsGitHub } from './port.js'

/** Clock skew allowed between the comment's timestamp and the check suite's (both GitHub's clocks). */
export const FIRST_SEEN_TOLERANCE_MS = 2_000

export type Pin =
  | { ok: true; sha: string; fork: boolean; rule: 'explicit-sha' | 'first-seen' }
  | { ok: false; reason: string; headSha?: string }

/**
 * Resolves the commit a command acts on and proves the commenter saw it:
 * - the pull request must be open;
 * - an explicit `sha=` must equal the current head (a SHA names content, so it is the stronger pin);
 * - a fork's pull request needs that explicit `sha=`;
 * - otherwise the head must have been first seen by GitHub (earliest check suite) before the comment
 *   was written. Commit dates are set by whoever pushes, so they prove nothing; no suite fails closed.
 */
export async function pinHead(
  github: Pick<ChatopsGitHub, 'pull' | 'checkSuiteTimes'>,
  request: { pr: number; commentCreatedAt: string; explicitSha?: string },
): Promise<Pin> {
  let pull
  try {
    pull = await github.pull(request.pr)
  } catch (error) {
    return { ok: false, reason: `could not read the pull request (${getErrorMessage(error)})` }
  }
  if (pull.state !== 'open') {
    return {
      ok: false,
      reason: `the pull request is ${pull.merged ? 'merged' : 'closed'}`,
      headSha: pull.headSha,
    }
  }
  if (!SHA.test(pull.headSha))
    return { ok: false, reason: 'GitHub returned a head SHA that is not 40 hex characters' }
  const fork = pull.headRepo !== pull.baseRepo
  if (request.explicitSha !== undefined) {
    if (request.explicitSha !== pull.headSha) {
      return {
        ok: false,
        reason:
          'the sha you gave is not the current head of the pull request (new commits were pushed?)',
        headSha: pull.headSha,
      }
    }
    return { ok: true, sha: pull.headSha, fork, rule: 'explicit-sha' }
  }
  if (fork) {
    return {
      ok: false,
      reason:
        'this pull request comes from a fork, so the command must name the commit you reviewed with sha=<40-hex head SHA>',
      headSha: pull.headSha,
    }
  }
  let times: string[]
  try {
    times = await github.checkSuiteTimes(pull.headSha)
  } catch (error) {
    return {
      ok: false,
      reason: `could not read when the head commit was pushed (${getErrorMessage(error)})`,
      headSha: pull.headSha,
    }
  }
  const firstSeen = Math.min(...times.map((t) => Date.parse(t)).filter((t) => Number.isFinite(t)))
  if (!Number.isFinite(firstSeen)) {
    return {
      ok: false,
      reason:
        'GitHub has no record of when the head commit was pushed (no check suite yet), so the command cannot be pinned; retry with sha=<40-hex head SHA>',
      headSha: pull.headSha,
    }
  }
  const commentAt = Date.parse(request.commentCreatedAt)
  if (!(firstSeen <= commentAt + FIRST_SEEN_TOLERANCE_MS)) {
    return {
      ok: false,
      reason:
        'new commits were pushed after your comment, so it cannot vouch for them; review the new head and comment again',
      headSha: pull.headSha,
    }
  }
  return { ok: true, sha: pull.headSha, fork, rule: 'first-seen' }
}
