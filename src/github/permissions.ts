import { z } from 'zod'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './context.js'
import { githubFailure } from './errors.js'

/** Repository roles from least to most; `none` for no access. */
export const PERMISSION_LEVELS = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number]

const responseSchema = z.object({
  permission: z.string(),
  role_name: z.string().optional(),
  user: z
    .object({
      permissions: z
        .object({
          admin: z.boolean(),
          maintain: z.boolean().optional(),
          push: z.boolean(),
          triage: z.boolean().optional(),
          pull: z.boolean(),
        })
        .optional(),
    })
    .nullable()
    .optional(),
})

const isLevel = (v: string | undefined): v is PermissionLevel =>
  (PERMISSION_LEVELS as readonly string[]).includes(v ?? '')

/**
 * The level from a collaborator-permission response: `user.permissions` first, then `role_name`,
 * then the legacy `permission` (which maps maintain to write and triage to read, so can only under-grant).
 */
export function levelFromPermissionResponse(data: z.infer<typeof responseSchema>): PermissionLevel {
  const p = data.user?.permissions
  if (p) {
    if (p.admin) return 'admin'
    if (p.maintain) return 'maintain'
    if (p.push) return 'write'
    if (p.triage) return 'triage'
    return p.pull ? 'read' : 'none'
  }
  if (isLevel(data.role_name)) return data.role_name
  return isLevel(data.permission) ? data.permission : 'none'
}

/** Whether `actual` is at least `required`. */
export function meetsLevel(actual: PermissionLevel, required: PermissionLevel): boolean {
  return PERMISSION_LEVELS.indexOf(actual) >= PERMISSION_LEVELS.indexOf(required)
}

/**
 * A user's role on the repository from `GET /repos/{o}/{r}/collaborators/{u}/permission`
 * (never `author_association`). Any failure, including 404 for non-collaborators on private
 * repositories, throws, so callers deny.
 */
export async function getPermissionLevel(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  username: string,
): Promise<PermissionLevel> {
  let data: unknown
  try {
    ;({ data } = await client.rest.repos.getCollaboratorPermissionLevel({ ...repo, username }))
  } catch (error) {
    throw githubFailure(`reading ${username}'s permission`, error)
  }
  const parsed = responseSchema.safeParse(data)
  if (!parsed.success)
    throw githubFailure(`reading ${username}'s permission`, new Error('unexpected response shape'))
  return levelFromPermissionResponse(parsed.data)
}
