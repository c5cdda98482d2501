/** One field error, as in a Kubernetes `Status.details.causes` entry. */
export interface Cause {
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported'
  message: string
  field: string
}

type Obj = Record<string, unknown>

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
/** The Quantity grammar the API server's JSON decoder enforces (a 400, before validation). */
export const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'

/** The first container resource quantity that does not parse, if any. */
export function badQuantity(job: Obj): string | undefined {
  const pod = ((((job.spec ?? {}) as Obj).template ?? {}) as Obj).spec as Obj | undefined
  for (const c of (pod?.containers ?? []) as Obj[]) {
    const r = (c.resources ?? {}) as Record<string, Record<string, unknown> | undefined>
    for (const q of [...Object.values(r.requests ?? {}), ...Object.values(r.limits ?? {})])
      if (typeof q === 'string' && !new RegExp(QUANTITY_PATTERN).test(q)) return q
  }
  return undefined
}

/**
 * The API server's semantic validation of a Job that its schema cannot express (a subset of
 * `pkg/apis/batch/validation` and `pkg/apis/core/validation`), with the same field paths and
 * messages, so a rejected Job reads like the real 422.
 */
export function validateJob(job: Obj): Cause[] {
  const causes: Cause[] = []
  const meta = (job.metadata ?? {}) as Obj
  const name = meta.name as string | undefined
  if (!name)
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
      field: 'metadata.name',
    })
  else if (name.length > 63 || !DNS1123_LABEL.test(name))
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      field: 'metadata.name',
    })
  const spec = (job.spec ?? {}) as Obj
  for (const key of ['backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'])
    if (typeof spec[key] === 'number' && spec[key] < (key === 'activeDeadlineSeconds' ? 1 : 0))
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${String(spec[key])}: must be greater than or equal to ${key === 'activeDeadlineSeconds' ? 1 : 0}`,
        field: `spec.${key}`,
      })
  const pod = (((spec.template ?? {}) as Obj).spec ?? {}) as Obj
  const restart = pod.restartPolicy
  if (restart !== 'Never' && restart !== 'OnFailure')
    causes.push({
      reason: restart === undefined ? 'FieldValueRequired' : 'FieldValueNotSupported',
      message:
        restart === undefined
          ? 'Required value'
          : `Unsupported value: ${JSON.stringify(restart)}: supported values: "OnFailure", "Never"`,
      field: 'spec.template.spec.restartPolicy',
    })
  const containers = (pod.containers ?? []) as Obj[]
  if (containers.length === 0)
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'spec.template.spec.containers',
    })
  containers.forEach((c, i) => {
    const at = `spec.template.spec.containers[${i}]`
    if (!c.image)
      causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${at}.image` })
    if (typeof c.name !== 'string' || !DNS1123_LABEL.test(c.name))
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${String(c.name)}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
        field: `${at}.name`,
      })
    const env = (c.env ?? []) as Obj[]
    env.forEach((e, j) => {
      if (!e.name)
        causes.push({
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: `${at}.env[${j}].name`,
        })
    })
    const resources = (c.resources ?? {}) as {
      requests?: Record<string, string>
      limits?: Record<string, string>
    }
    // Extended resources (a domain outside kubernetes.io) are whole numbers and cannot be
    // overcommitted: a request needs a limit, and must equal it.
    const extended = (res: string) => res.includes('/') && !res.includes('kubernetes.io/')
    for (const kind of ['requests', 'limits'] as const)
      for (const [res, q] of Object.entries(resources[kind] ?? {}))
        if (extended(res) && !/^\d+$/.test(q))
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: "${q}": must be an integer`,
            field: `${at}.resources.${kind}[${res}]`,
          })
    for (const [res, q] of Object.entries(resources.requests ?? {})) {
      if (!extended(res)) continue
      const limit = resources.limits?.[res]
      if (limit === undefined)
        causes.push({
          reason: 'FieldValueRequired',
          message: 'Required value: Limit must be set for non overcommitable resources',
          field: `${at}.resources.limits`,
        })
      else if (Number(limit) !== Number(q))
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${q}": must be equal to ${res} limit of ${limit}`,
          field: `${at}.resources.requests`,
        })
    }
  })
  return causes
}
