import { getErrorMessage } from '../errors.js'
import type { Permission } from './config-schema.js'
import type { ChatopsGitHub, RoleLevel } from './port.js'

const RANK: Record<RoleLevel, number> = {
  none: 0,
  read: 1,
  triage: 2,
  write: 3,
  maintain: 4,
  admin: 5,
}

/** Whether `level` is at least `required`. */
export function meets(level: RoleLevel, required: Permission | 'anyone'): boolean {
  return required === 'anyone' || RANK[level] >= RANK[required]
}

export type Authorization =
  | { allowed: true; level: RoleLevel | 'unchecked' }
  | { allowed: false; reason: string; level?: RoleLevel }

/**
 * Asks GitHub for the commenter's role (never `author_association`, which hides private org members
 * and says nothing about write access) and compares it with the role the command needs. Any failure
 * of the lookup denies.
 */
export async function authorize(
  github: Pick<ChatopsGitHub, 'permissionOf'>,
  username: string,
  required: Permission | 'anyone',
): Promise<Authorization> {
  if (required === 'anyone') return { allowed: true, level: 'unchecked' }
  let level: RoleLevel
  try {
    level = await github.permissionOf(username)
  } catch (error) {
    return {
      allowed: false,
      reason: `the permission check failed (${getErrorMessage(error)}), so the command was not run`,
    }
  }
  if (meets(level, required)) return { allowed: true, level }
  return {
    allowed: false,
    level,
    reason: `this command needs the ${required} role or higher on this repository; your role is ${level === 'none' ? 'no access' : level}`,
  }
}
