import type { KubernetesState, JobObject } from './state.js'
import { validateJob } from './validate-job.js'

type Obj = Record<string, unknown>
export interface Reply {
  status: number
  body?: unknown
  text?: string
}

/** A Kubernetes `Status` failure object, as every API error body is. */
export function statusFailure(code: number, reason: string, message: string, details?: Obj): Reply {
  return {
    status: code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
  }
}

/** Parses `a=b,c!=d,e` (the equality-based label selector grammar) and matches labels with it. */
function selects(selector: string | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true
  return selector.split(',').every((term) => {
    const m = /^\s*([^!=\s]+)\s*(==|=|!=)?\s*([^\s]*)\s*$/.exec(term)
    if (!m) return false
    const [, key, op, value] = m
    if (!op) return key! in labels
    return op === '!=' ? labels[key!] !== value : labels[key!] === value
  })
}

/**
 * What the API server does for one validated request of the subset, once authentication, RBAC and
 * schema validation passed: Job create/read/delete and pod list/log against the double's state.
 */
export function handleOperation(
  state: KubernetesState,
  op: string,
  params: Record<string, string>,
  query: Obj,
  body: unknown,
): Reply {
  const ns = params.namespace!
  const notFound = (kind: string, group: string, name: string) =>
    statusFailure(404, 'NotFound', `${kind}${group ? `.${group}` : ''} "${name}" not found`, {
      name,
      ...(group ? { group } : {}),
      kind,
    })
  if (!state.namespaces.has(ns)) return notFound('namespaces', '', ns)

  switch (op) {
    case 'createBatchV1NamespacedJob': {
      const job = body as Obj & { metadata?: Obj }
      const bodyNs = job.metadata?.namespace
      if (bodyNs !== undefined && bodyNs !== ns)
        return statusFailure(
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        )
      const name = typeof job.metadata?.name === 'string' ? job.metadata.name : ''
      const causes = validateJob(job)
      if (causes.length > 0)
        return statusFailure(
          422,
          'Invalid',
          `Job.batch "${name}" is invalid: ${causes.length > 1 ? '[' : ''}${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}${causes.length > 1 ? ']' : ''}`,
          { name, group: 'batch', kind: 'Job', causes },
        )
      if (state.job(ns, name))
        return statusFailure(409, 'AlreadyExists', `jobs.batch "${name}" already exists`, {
          name,
          group: 'batch',
          kind: 'jobs',
        })
      if (query.dryRun === 'All')
        return { status: 201, body: { ...job, metadata: { ...job.metadata, namespace: ns } } }
      return { status: 201, body: state.createJob(ns, job) }
    }
    case 'readBatchV1NamespacedJob': {
      state.onRead(ns, params.name!)
      const job = state.job(ns, params.name!)
      return job ? { status: 200, body: job } : notFound('jobs', 'batch', params.name!)
    }
    case 'deleteBatchV1NamespacedJob': {
      const opts = (body ?? {}) as Obj
      const policy = (opts.propagationPolicy ??
        query.propagationPolicy ??
        (query.orphanDependents === false ? 'Background' : 'Orphan')) as string
      if (!['Orphan', 'Background', 'Foreground'].includes(policy))
        return statusFailure(
          422,
          'Invalid',
          `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
        )
      const job: JobObject | undefined = state.deleteJob(ns, params.name!, policy)
      if (!job) return notFound('jobs', 'batch', params.name!)
      return {
        status: 200,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name: params.name, group: 'batch', kind: 'jobs', uid: job.metadata.uid },
        },
      }
    }
    case 'listCoreV1NamespacedPod': {
      const items = [...state.pods.values()]
        .filter(
          (p) =>
            p.pod.metadata.namespace === ns &&
            selects(query.labelSelector as string | undefined, p.pod.metadata.labels),
        )
        .map((p) => p.pod)
      return {
        status: 200,
        body: {
          kind: 'PodList',
          apiVersion: 'v1',
          metadata: { resourceVersion: state.nextVersion() },
          items,
        },
      }
    }
    case 'readCoreV1NamespacedPodLog': {
      const record = state.pods.get(`${ns}/${params.name!}`)
      if (!record) return notFound('pods', '', params.name!)
      const container = (query.container as string | undefined) ?? record.container
      if (container !== record.container)
        return statusFailure(
          400,
          'BadRequest',
          `container ${container} is not valid for pod ${params.name!}`,
        )
      if (record.pod.status.phase === 'Pending')
        return statusFailure(
          400,
          'BadRequest',
          `container "${container}" in pod "${params.name!}" is waiting to start: ContainerCreating`,
        )
      let lines = record.log
      if (typeof query.tailLines === 'number')
        lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines)
      const text = lines
        .map((l) => `${query.timestamps === true ? `${l.ts} ` : ''}${l.text}\n`)
        .join('')
      return { status: 200, text }
    }
  }
  return statusFailure(405, 'MethodNotAllowed', `the double does not implement ${op}`)
}
