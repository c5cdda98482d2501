/**
 * Seeded generator of (prediction, references) pairs for the differential tests and the benchmark:
 * unicode, punctuation, numbers, whitespace oddities, newlines, empty strings, synonyms and
 * inflections (for METEOR's stem and WordNet stages), one to three references.
 */

export interface Pair {
  prediction: string
  references: string[]
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'the a an of to and in is was it that this for on with as by at from cat dog man woman child children ' +
  'house home car automobile auto machine big large huge small little quick fast speedy rapid begin start ' +
  'commence buy purchase help aid assist end finish happy glad talk speak say said running runs ran run ' +
  'walked walking walks studies studied studying generalization generalizations relational conditional ' +
  'hopefulness happiness sky skies dying lying agreed feed plastered motoring sing caresses ponies ties ' +
  'military party commands command guide guiding action ensures guarantees always forever heed obeys ' +
  'knives wolves geese mice better best worse went gone women men feet teeth data analysis analyses ' +
  "United States U.S.A. Mr. Dr. e.g. state-of-the-art well-known don't it's can't o'clock " +
  'naïve café résumé Straße Zürich İstanbul ΑΘΗΝΑ σοφία Москва 日本語 中文 한국어 emoji😀 🚀 ǅ ﬁne Ⅻ'
).split(' ')

const PUNCT = [
  '.',
  ',',
  '!',
  '?',
  ';',
  ':',
  '-',
  '--',
  '"',
  "'",
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '&amp;',
  '&quot;',
  '&lt;',
  '<skipped>',
  '/',
  '…',
  '«',
  '»',
  '—',
  '%',
  '$',
  '€',
  '#',
  '@',
  '*',
  '+',
  '=',
  '~',
  '`',
  '^',
  '|',
  '\\',
]
const NUMBERS = [
  '0',
  '1',
  '42',
  '3.14',
  '1,000',
  '2019.',
  '-7',
  '10-20',
  '1e5',
  '٣',
  '½',
  '²',
  '100%',
  '$5',
]
const SPACES = [
  ' ',
  ' ',
  ' ',
  ' ',
  '  ',
  '\t',
  '\n',
  '\u00a0',
  '\u2003',
  '\u3000',
  '\u0085',
  '\u001c',
  '\ufeff',
  '\u200b',
]
const SYNONYMS: string[][] = [
  ['car', 'automobile', 'auto', 'machine'],
  ['big', 'large'],
  ['quick', 'fast', 'speedy', 'rapid'],
  ['begin', 'start', 'commence'],
  ['buy', 'purchase'],
  ['help', 'aid', 'assist'],
  ['end', 'finish'],
  ['happy', 'glad'],
  ['house', 'home'],
  ['talk', 'speak'],
  ['small', 'little'],
  ['child', 'kid'],
]

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T
}

function token(r: () => number): string {
  const x = r()
  if (x < 0.72) {
    const w = pick(r, WORDS)
    const c = r()
    return c < 0.1 ? w.toUpperCase() : c < 0.25 ? w.charAt(0).toUpperCase() + w.slice(1) : w
  }
  if (x < 0.87) return pick(r, PUNCT)
  return pick(r, NUMBERS)
}

function joinTokens(r: () => number, tokens: readonly string[]): string {
  let s = ''
  tokens.forEach((t, i) => {
    if (i > 0) s += r() < 0.12 ? '' : r() < 0.8 ? ' ' : pick(r, SPACES)
    s += t
  })
  if (r() < 0.05) s = ' ' + s
  if (r() < 0.05) s += pick(r, SPACES)
  return s
}

function sentence(r: () => number): string[] {
  const n = 1 + Math.floor(r() * 24)
  return Array.from({ length: n }, () => token(r))
}

function perturb(r: () => number, tokens: readonly string[]): string[] {
  const out: string[] = []
  for (const t of tokens) {
    const x = r()
    if (x < 0.1) continue
    if (x < 0.2) {
      const group = SYNONYMS.find((g) => g.includes(t.toLowerCase()))
      out.push(group ? pick(r, group) : token(r))
      continue
    }
    if (x < 0.25) out.push(t, token(r))
    else if (x < 0.3) out.push(t.toUpperCase())
    else out.push(t)
  }
  if (r() < 0.15 && out.length > 2) {
    const i = Math.floor(r() * (out.length - 1))
    const a = out[i] as string
    out[i] = out[i + 1] as string
    out[i + 1] = a
  }
  return out
}

/** `n` pairs from `seed`; about 3% have an empty prediction and 3% an empty reference. */
export function generatePairs(n: number, seed = 20261128): Pair[] {
  const r = rng(seed)
  const pairs: Pair[] = []
  for (let k = 0; k < n; k++) {
    const base = sentence(r)
    const nRefs = 1 + Math.floor(r() * 3)
    const references = Array.from({ length: nRefs }, (_, i) =>
      i === 0 || r() < 0.5 ? joinTokens(r, perturb(r, base)) : joinTokens(r, sentence(r)),
    )
    let prediction = joinTokens(r, r() < 0.85 ? perturb(r, base) : sentence(r))
    const e = r()
    if (e < 0.03) prediction = ''
    else if (e < 0.06) references[0] = ''
    else if (e < 0.08) prediction = prediction.replaceAll(' ', '\n')
    pairs.push({ prediction, references })
  }
  return pairs
}
