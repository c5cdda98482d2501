/**
 * The Porter stemmer in NLTK's default mode (`PorterStemmer()` = NLTK_EXTENSIONS), ported from the
 * algorithm in `nltk/stem/porter.py`: the irregular-form table, words of length <= 2 kept, the
 * 4-letter `ies`/`ied` rules, NLTK's step-1c condition and the extra step-2 rules. rouge_score and
 * NLTK METEOR both stem with this mode; the npm stemmers implement Martin Porter's variant instead.
 */

const IRREGULAR = new Map<string, string>(
  Object.entries({
    sky: 'sky',
    skies: 'sky',
    dying: 'die',
    lying: 'lie',
    tying: 'tie',
    news: 'news',
    innings: 'inning',
    inning: 'inning',
    outings: 'outing',
    outing: 'outing',
    cannings: 'canning',
    canning: 'canning',
    howe: 'howe',
    proceed: 'proceed',
    exceed: 'exceed',
    succeed: 'succeed',
  }),
)

const isVowel = (c: string | undefined): boolean =>
  c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u'

/** Consonant flag of position i: a `y` is a consonant iff it starts the word or follows a vowel. */
function isConsonant(w: string, i: number): boolean {
  const c = w[i]
  if (isVowel(c)) return false
  if (c !== 'y') return true
  let negate = false
  while (i > 0 && w[i] === 'y') {
    negate = !negate
    i--
  }
  return !isVowel(w[i]) !== negate
}

/** The measure m of [C](VC){m}[V]: the number of vowel-to-consonant transitions. */
function measure(stem: string): number {
  let m = 0
  let prevConsonant = true
  for (let i = 0; i < stem.length; i++) {
    const c = stem[i]
    const consonant: boolean = isVowel(c)
      ? false
      : c === 'y'
        ? i === 0
          ? true
          : !prevConsonant
        : true
    if (consonant && i > 0 && !prevConsonant) m++
    prevConsonant = consonant
  }
  return m
}

function containsVowel(stem: string): boolean {
  let prevConsonant = true
  for (let i = 0; i < stem.length; i++) {
    const c = stem[i]
    const consonant: boolean = isVowel(c)
      ? false
      : c === 'y'
        ? i === 0
          ? true
          : !prevConsonant
        : true
    if (!consonant) return true
    prevConsonant = consonant
  }
  return false
}

function endsDoubleConsonant(w: string): boolean {
  const n = w.length
  return n >= 2 && w[n - 1] === w[n - 2] && isConsonant(w, n - 1)
}

function endsCvc(w: string): boolean {
  const n = w.length
  if (
    n >= 3 &&
    isConsonant(w, n - 3) &&
    !isConsonant(w, n - 2) &&
    isConsonant(w, n - 1) &&
    w[n - 1] !== 'w' &&
    w[n - 1] !== 'x' &&
    w[n - 1] !== 'y'
  ) {
    return true
  }
  return n === 2 && !isConsonant(w, 0) && isConsonant(w, 1)
}

type Condition = ((stem: string) => boolean) | null
type Rule = readonly [suffix: string, replacement: string, condition: Condition]

const positiveMeasure = (stem: string): boolean => measure(stem) > 0
const measureGt1 = (stem: string): boolean => measure(stem) > 1

/** The first rule whose suffix matches decides: applied if its condition holds, else the word is kept. */
function applyRules(word: string, rules: readonly Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (suffix === '*d' && endsDoubleConsonant(word)) {
      const stem = word.slice(0, -2)
      return condition === null || condition(stem) ? stem + replacement : word
    }
    if (word.endsWith(suffix)) {
      const stem = suffix === '' ? word : word.slice(0, -suffix.length)
      return condition === null || condition(stem) ? stem + replacement : word
    }
  }
  return word
}

const STEP1A: readonly Rule[] = [
  ['sses', 'ss', null],
  ['ies', 'i', null],
  ['ss', 'ss', null],
  ['s', '', null],
]

function step1a(w: string): string {
  if (w.length === 4 && w.endsWith('ies')) return w.slice(0, -3) + 'ie'
  return applyRules(w, STEP1A)
}

function step1b(w: string): string {
  if (w.endsWith('ied')) return w.slice(0, -3) + (w.length === 4 ? 'ie' : 'i')
  if (w.endsWith('eed')) {
    const stem = w.slice(0, -3)
    return measure(stem) > 0 ? stem + 'ee' : w
  }
  let intermediate: string | undefined
  for (const suffix of ['ed', 'ing']) {
    if (w.endsWith(suffix)) {
      const stem = w.slice(0, -suffix.length)
      if (containsVowel(stem)) {
        intermediate = stem
        break
      }
    }
  }
  if (intermediate === undefined) return w
  const last = intermediate[intermediate.length - 1] ?? ''
  return applyRules(intermediate, [
    ['at', 'ate', null],
    ['bl', 'ble', null],
    ['iz', 'ize', null],
    ['*d', last, () => last !== 'l' && last !== 's' && last !== 'z'],
    ['', 'e', (stem) => measure(stem) === 1 && endsCvc(stem)],
  ])
}

function step1c(w: string): string {
  return applyRules(w, [
    ['y', 'i', (stem) => stem.length > 1 && isConsonant(stem, stem.length - 1)],
  ])
}

const STEP2_BASE: readonly Rule[] = [
  ['ational', 'ate', positiveMeasure],
  ['tional', 'tion', positiveMeasure],
  ['enci', 'ence', positiveMeasure],
  ['anci', 'ance', positiveMeasure],
  ['izer', 'ize', positiveMeasure],
  ['bli', 'ble', positiveMeasure],
  ['alli', 'al', positiveMeasure],
  ['entli', 'ent', positiveMeasure],
  ['eli', 'e', positiveMeasure],
  ['ousli', 'ous', positiveMeasure],
  ['ization', 'ize', positiveMeasure],
  ['ation', 'ate', positiveMeasure],
  ['ator', 'ate', positiveMeasure],
  ['alism', 'al', positiveMeasure],
  ['iveness', 'ive', positiveMeasure],
  ['fulness', 'ful', positiveMeasure],
  ['ousness', 'ous', positiveMeasure],
  ['aliti', 'al', positiveMeasure],
  ['iviti', 'ive', positiveMeasure],
  ['biliti', 'ble', positiveMeasure],
  ['fulli', 'ful', positiveMeasure],
]

function step2(w: string): string {
  if (w.endsWith('alli') && positiveMeasure(w.slice(0, -4))) return step2(w.slice(0, -4) + 'al')
  // NLTK's `logi` rule tests the measure of the word minus three letters, not of the stem.
  return applyRules(w, [...STEP2_BASE, ['logi', 'log', () => positiveMeasure(w.slice(0, -3))]])
}

const STEP3: readonly Rule[] = [
  ['icate', 'ic', positiveMeasure],
  ['ative', '', positiveMeasure],
  ['alize', 'al', positiveMeasure],
  ['iciti', 'ic', positiveMeasure],
  ['ical', 'ic', positiveMeasure],
  ['ful', '', positiveMeasure],
  ['ness', '', positiveMeasure],
]

const STEP4: readonly Rule[] = [
  ['al', '', measureGt1],
  ['ance', '', measureGt1],
  ['ence', '', measureGt1],
  ['er', '', measureGt1],
  ['ic', '', measureGt1],
  ['able', '', measureGt1],
  ['ible', '', measureGt1],
  ['ant', '', measureGt1],
  ['ement', '', measureGt1],
  ['ment', '', measureGt1],
  ['ent', '', measureGt1],
  ['ion', '', (stem) => measure(stem) > 1 && (stem.endsWith('s') || stem.endsWith('t'))],
  ['ou', '', measureGt1],
  ['ism', '', measureGt1],
  ['ate', '', measureGt1],
  ['iti', '', measureGt1],
  ['ous', '', measureGt1],
  ['ive', '', measureGt1],
  ['ize', '', measureGt1],
]

function step5a(w: string): string {
  if (!w.endsWith('e')) return w
  const stem = w.slice(0, -1)
  const m = measure(stem)
  if (m > 1) return stem
  if (m === 1 && !endsCvc(stem)) return stem
  return w
}

function step5b(w: string): string {
  return applyRules(w, [['ll', 'l', () => measure(w.slice(0, -1)) > 1]])
}

function stemBmp(lower: string, originalLength: number): string {
  const irregular = IRREGULAR.get(lower)
  if (irregular !== undefined) return irregular
  if (originalLength <= 2) return lower
  let s = step1a(lower)
  s = step1b(s)
  s = step1c(s)
  s = step2(s)
  s = applyRules(s, STEP3)
  s = applyRules(s, STEP4)
  s = step5a(s)
  return step5b(s)
}

const ASTRAL = /[\uD800-\uDFFF]/

/**
 * Stems one word exactly like NLTK's `PorterStemmer().stem(word)` (lower-cases first).
 * Lengths and positions count code points as Python does.
 */
export function porterStem(word: string): string {
  const lower = word.toLowerCase()
  if (!ASTRAL.test(word)) return stemBmp(lower, word.length)
  // Astral characters are single code points in Python: stand each in for one private-use
  // character (all of them behave as consonants) and map back afterwards.
  const toPlaceholder = new Map<string, string>()
  const fromPlaceholder = new Map<string, string>()
  let mapped = ''
  for (const ch of lower) {
    if (ch.length === 1) {
      mapped += ch
      continue
    }
    let p = toPlaceholder.get(ch)
    if (p === undefined) {
      p = String.fromCharCode(0xf8ff - toPlaceholder.size)
      toPlaceholder.set(ch, p)
      fromPlaceholder.set(p, ch)
    }
    mapped += p
  }
  let originalLength = 0
  for (const _ of word) originalLength++
  const stemmed = stemBmp(mapped, originalLength)
  let out = ''
  for (const ch of stemmed) out += fromPlaceholder.get(ch) ?? ch
  return out
}
