import type { CommandCatalog, WorkCommand } from './command-specs.js'
import { ruleFor } from './command-specs.js'

/** GitHub's caps: `client_payload` ≤ 10 top-level keys; `workflow_dispatch` ≤ 25 inputs. */
export const MAX_CLIENT_PAYLOAD_KEYS = 10
export const MAX_WORKFLOW_INPUTS = 25

/** Everything the dispatched work needs, all validated: no comment text travels, only parsed values. */
export interface WorkOrder {
  command: WorkCommand
  args: Record<string, string>
  pr: number
  sha: string
  commentId: number
  actor: string
  environment?: string
  checkRunId?: number
}

export type DispatchRequest =
  | { kind: 'repository_dispatch'; eventType: string; clientPayload: Record<string, unknown> }
  | { kind: 'workflow_dispatch'; workflow: string; ref: string; inputs: Record<string, string> }

/** A stable id of one command invocation, used as the check run's `external_id`. */
export function commandId(order: Pick<WorkOrder, 'command' | 'pr' | 'commentId'>): string {
  return `llmops-${order.command}-pr${order.pr}-c${order.commentId}`
}

/**
 * Builds the dispatch for a work order: `workflow_dispatch` of `commands.<name>.workflow` with string
 * inputs when configured, otherwise `repository_dispatch` with event type `llmops-<command>`.
 */
export function buildDispatch(
  order: WorkOrder,
  catalog: CommandCatalog,
  defaultBranch: string,
): DispatchRequest {
  const rule = ruleFor(catalog, order.command)
  const common = {
    command: order.command,
    pr: order.pr,
    sha: order.sha,
    comment_id: order.commentId,
    actor: order.actor,
    command_id: commandId(order),
    ...(order.environment !== undefined ? { environment: order.environment } : {}),
    ...(order.checkRunId !== undefined ? { check_run_id: order.checkRunId } : {}),
  }
  if (rule.workflow) {
    const inputs: Record<string, string> = {}
    for (const [key, value] of Object.entries(common)) inputs[key] = String(value)
    for (const [key, value] of Object.entries(order.args)) inputs[key] = value
    if (Object.keys(inputs).length > MAX_WORKFLOW_INPUTS) {
      throw new Error(`workflow_dispatch takes at most ${MAX_WORKFLOW_INPUTS} inputs`)
    }
    return {
      kind: 'workflow_dispatch',
      workflow: rule.workflow,
      ref: rule.ref ?? defaultBranch,
      inputs,
    }
  }
  const clientPayload: Record<string, unknown> = { ...common, args: order.args }
  if (Object.keys(clientPayload).length > MAX_CLIENT_PAYLOAD_KEYS) {
    throw new Error(`client_payload takes at most ${MAX_CLIENT_PAYLOAD_KEYS} top-level keys`)
  }
  return { kind: 'repository_dispatch', eventType: `llmops-${order.command}`, clientPayload }
}
