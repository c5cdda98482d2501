import type { GitHubState, Identity } from './state.js'

const CLASSIFIERS = ['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED']

/** The value of a GraphQL argument, given inline (`name: "x"` / `name: ENUM`) or as a `$variable`. */
function argument(query: string, name: string, variables: Record<string, unknown>): unknown {
  const match = new RegExp(
    `(?<![$\\w])${name}\\s*:\\s*(\\$\\w+|"(?:[^"\\\\]|\\\\.)*"|\\[[^\\]]*\\]|\\w+)`,
  ).exec(query)
  const raw = match?.[1]
  if (raw === undefined) return undefined
  if (raw.startsWith('$')) {
    const value = variables[raw.slice(1)]
    return value
  }
  if (raw.startsWith('"') || raw.startsWith('[')) return JSON.parse(raw) as unknown
  return raw
}

/**
 * A minimal GitHub GraphQL endpoint for what the project sends: `viewer { login }`,
 * `minimizeComment(input: {subjectId, classifier})` and `nodes(ids:)` on issue comments
 * (`isMinimized`, `minimizedReason`). Anything else gets GraphQL's error shape.
 */
export function handleGraphql(
  state: GitHubState,
  identity: Identity,
  request: { query?: unknown; variables?: unknown },
): {
  data?: Record<string, unknown>
  errors?: { type?: string; path?: string[]; message: string }[]
} {
  const query = typeof request.query === 'string' ? request.query : ''
  const variables = (
    request.variables && typeof request.variables === 'object' ? request.variables : {}
  ) as Record<string, unknown>
  // `input: $input` passes the whole input object as one variable.
  const input = (argument(query, 'input', variables) ?? {}) as Record<string, unknown>
  const data: Record<string, unknown> = {}
  const errors: { type?: string; path?: string[]; message: string }[] = []
  let understood = false

  if (/\bviewer\s*\{/.test(query)) {
    understood = true
    data.viewer = { login: identity.login }
  }
  if (/\bminimizeComment\s*\(/.test(query)) {
    understood = true
    const subjectId = input.subjectId ?? argument(query, 'subjectId', variables)
    const classifier = String(input.classifier ?? argument(query, 'classifier', variables))
    const comment = state.comments.find((c) => c.nodeId === subjectId)
    if (!CLASSIFIERS.includes(classifier)) {
      errors.push({
        message: `Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${classifier}). Expected type 'ReportedContentClassifiers!'.`,
      })
    } else if (!comment) {
      errors.push({
        type: 'NOT_FOUND',
        path: ['minimizeComment'],
        message: `Could not resolve to a node with the global id of '${String(subjectId)}'`,
      })
      data.minimizeComment = null
    } else {
      comment.minimizedReason = classifier.toLowerCase()
      data.minimizeComment = {
        minimizedComment: { isMinimized: true, minimizedReason: comment.minimizedReason },
      }
    }
  }
  if (/\bnodes\s*\(/.test(query)) {
    understood = true
    const ids = argument(query, 'ids', variables)
    data.nodes = (Array.isArray(ids) ? ids : []).map((id) => {
      const c = state.comments.find((x) => x.nodeId === id)
      return c
        ? {
            __typename: 'IssueComment',
            id: c.nodeId,
            databaseId: c.id,
            isMinimized: c.minimizedReason !== null,
            minimizedReason: c.minimizedReason,
          }
        : null
    })
  }
  if (!understood)
    return { errors: [{ message: 'The GitHub double does not implement this GraphQL query.' }] }
  return errors.length > 0 ? { data, errors } : { data }
}
