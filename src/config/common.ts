import { z } from 'zod'

/** Empty strings (e.g. from unset action inputs) become undefined before validation. */
export const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional())

export const name = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'must be 1-64 letters, digits, _ . or - (starting with a letter or digit)',
  )

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

export const positiveInt = z.int().positive()
