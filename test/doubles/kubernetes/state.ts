import { randomUUID } from 'node:crypto'

type Obj = Record<string, unknown>

/** A `batch/v1` Job as stored, with the fields the controller writes. */
export interface JobObject {
  apiVersion: 'batch/v1'
  kind: 'Job'
  metadata: Obj & {
    name: string
    namespace: string
    uid: string
    annotations?: Record<string, string>
  }
  spec: Obj & { template: { metadata?: Obj; spec: Obj & { containers: Obj[] } } }
  status: Obj & { conditions?: Obj[] }
}

/** A pod the double's "job controller" created, with its container's log lines. */
export interface PodRecord {
  pod: Obj & {
    metadata: Obj & { name: string; namespace: string; labels: Record<string, string> }
    status: Obj & { phase: string }
  }
  container: string
  log: { ts: string; text: string }[]
}

/** How a Job runs by itself: started and finished after a number of status reads. */
export interface Autopilot {
  outcome: 'Complete' | 'Failed' | 'Running'
  /** Log lines the pod writes, half when it starts and the rest when it ends. */
  logs?: string[]
  /** Status reads before the pod starts (default 1) and before it ends (default 3). */
  startAfterReads?: number
  endAfterReads?: number
}

/** The double's cluster: namespaces, Jobs and their pods, a request log and a simulated clock. */
export class KubernetesState {
  readonly namespaces = new Set(['default'])
  readonly jobs = new Map<string, JobObject>()
  readonly pods = new Map<string, PodRecord>()
  readonly requests: {
    method: string
    path: string
    query: Obj
    body: unknown
    status: number
    user: string | null
  }[] = []
  readonly reads = new Map<string, number>()
  autopilot: ((job: JobObject) => Autopilot | undefined) | undefined
  private tick = Date.parse('2026-01-01T00:00:00Z')
  private rv = 1000

  /** A strictly increasing moment (1.5 ms apart), as RFC 3339 with nanoseconds. */
  nowNano(): string {
    this.tick += 1.5
    const d = new Date(Math.floor(this.tick))
    const nanos = String(Math.round((this.tick % 1000) * 1e6)).padStart(9, '0')
    return `${d.toISOString().slice(0, 19)}.${nanos.replace(/0+$/, '') || '0'}Z`
  }
  now(): string {
    return `${this.nowNano().slice(0, 19)}Z`
  }
  nextVersion(): string {
    return String(++this.rv)
  }

  job(ns: string, name: string): JobObject | undefined {
    return this.jobs.get(`${ns}/${name}`)
  }
  podsOf(ns: string, jobName: string): PodRecord[] {
    return [...this.pods.values()].filter(
      (p) =>
        p.pod.metadata.namespace === ns &&
        p.pod.metadata.labels['batch.kubernetes.io/job-name'] === jobName,
    )
  }

  /** Stores a validated Job with the server's defaults, the way the API server and controller do. */
  createJob(ns: string, body: Obj): JobObject {
    const uid = randomUUID()
    const meta = (body.metadata ?? {}) as Obj & { name: string }
    const spec = body.spec as JobObject['spec']
    const selectorLabels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': meta.name,
      'controller-uid': uid,
      'job-name': meta.name,
    }
    const template = spec.template
    const job: JobObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        ...meta,
        namespace: ns,
        uid,
        resourceVersion: this.nextVersion(),
        generation: 1,
        creationTimestamp: this.now(),
      },
      spec: {
        parallelism: 1,
        completions: 1,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
        ...spec,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
        template: {
          ...template,
          metadata: {
            ...template.metadata,
            labels: { ...(template.metadata?.labels as Obj | undefined), ...selectorLabels },
          },
        },
      },
      status: {},
    }
    this.jobs.set(`${ns}/${meta.name}`, job)
    return job
  }

  /** The controller creates the Job's pod and it starts running (phase Running, active 1). */
  start(ns: string, name: string, lines: string[] = []): PodRecord {
    const job = this.mustJob(ns, name)
    const podName = `${name}-${randomUUID().slice(0, 5)}`
    const template = job.spec.template
    const container = String(template.spec.containers[0]?.name)
    const record: PodRecord = {
      pod: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace: ns,
          uid: randomUUID(),
          creationTimestamp: this.now(),
          labels: template.metadata?.labels as Record<string, string>,
          ownerReferences: [
            {
              apiVersion: 'batch/v1',
              kind: 'Job',
              name,
              uid: job.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: template.spec,
        status: { phase: 'Running', startTime: this.now() },
      },
      container,
      log: [],
    }
    this.pods.set(`${ns}/${podName}`, record)
    job.status = {
      ...job.status,
      startTime: job.status.startTime ?? this.now(),
      active: 1,
      ready: 1,
      terminating: 0,
    }
    this.write(record, lines)
    return record
  }

  /** Appends lines to the log of the Job's newest pod. */
  log(ns: string, name: string, lines: string[]): void {
    const pod = this.podsOf(ns, name).at(-1)
    if (!pod) throw new Error(`job ${name} has no pod`)
    this.write(pod, lines)
  }

  /** The pod exits 0: conditions SuccessCriteriaMet and Complete, succeeded 1. */
  succeed(ns: string, name: string, lines: string[] = []): void {
    this.finish(ns, name, lines, 'Succeeded', [
      ['SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ])
  }

  /** The pod exits 1 and the backoff limit is reached: FailureTarget and Failed. */
  fail(ns: string, name: string, lines: string[] = []): void {
    const reason = 'BackoffLimitExceeded'
    const message = 'Job has reached the specified backoff limit'
    this.finish(ns, name, lines, 'Failed', [
      ['FailureTarget', reason, message],
      ['Failed', reason, message],
    ])
  }

  /** Deletes a Job; Background/Foreground take its pods too, Orphan (the REST default) leaves them. */
  deleteJob(ns: string, name: string, policy: string): JobObject | undefined {
    const job = this.job(ns, name)
    if (!job) return undefined
    this.jobs.delete(`${ns}/${name}`)
    for (const pod of this.podsOf(ns, name)) {
      if (policy === 'Orphan') pod.pod.metadata.ownerReferences = []
      else this.pods.delete(`${ns}/${pod.pod.metadata.name}`)
    }
    return job
  }

  /** Runs the autopilot for a Job on each read of its status. */
  onRead(ns: string, name: string): void {
    const job = this.job(ns, name)
    if (!job || !this.autopilot) return
    const plan = this.autopilot(job)
    if (!plan) return
    const key = `${ns}/${name}`
    const reads = (this.reads.get(key) ?? 0) + 1
    this.reads.set(key, reads)
    const lines = plan.logs ?? []
    const half = Math.ceil(lines.length / 2)
    const pods = this.podsOf(ns, name)
    if (pods.length === 0 && reads >= (plan.startAfterReads ?? 1))
      this.start(ns, name, lines.slice(0, half))
    if (
      this.podsOf(ns, name).length > 0 &&
      reads >= (plan.endAfterReads ?? 3) &&
      !job.status.conditions
    ) {
      if (plan.outcome === 'Complete') this.succeed(ns, name, lines.slice(half))
      else if (plan.outcome === 'Failed') this.fail(ns, name, lines.slice(half))
    }
  }

  private write(pod: PodRecord, lines: string[]): void {
    for (const text of lines) pod.log.push({ ts: this.nowNano(), text })
  }

  private mustJob(ns: string, name: string): JobObject {
    const job = this.job(ns, name)
    if (!job) throw new Error(`no job ${ns}/${name}`)
    return job
  }

  private finish(
    ns: string,
    name: string,
    lines: string[],
    phase: string,
    conditions: string[][],
  ): void {
    const job = this.mustJob(ns, name)
    if (this.podsOf(ns, name).length === 0) this.start(ns, name)
    const pod = this.podsOf(ns, name).at(-1)!
    this.write(pod, lines)
    pod.pod.status = { ...pod.pod.status, phase }
    const at = this.now()
    job.status = {
      ...job.status,
      active: 0,
      ready: 0,
      ...(phase === 'Succeeded' ? { succeeded: 1, completionTime: at } : { failed: 1 }),
      conditions: conditions.map(([type, reason, message]) => ({
        type,
        status: 'True',
        reason,
        message,
        lastProbeTime: at,
        lastTransitionTime: at,
      })),
    }
    job.metadata.resourceVersion = this.nextVersion()
  }
}
