import type { ToxicityCategory } from '../types.js'

/** How a matched term counts: its category, its weight alone, and its weight when aimed at the reader. */
export interface TermInfo {
  category: ToxicityCategory
  weight: number
  /** Weight when preceded by a second-person frame ("you are a ...", "you ..."); defaults to `weight`. */
  directed?: number
}

const profanity = (weight: number, directed = Math.max(weight, 0.85)): TermInfo => ({
  category: 'profanity',
  weight,
  directed,
})
const insult = (weight: number, directed = 0.85): TermInfo => ({
  category: 'insult',
  weight,
  directed,
})
const sexual = (weight: number): TermInfo => ({ category: 'sexual', weight })
const slur = (weight: number): TermInfo => ({ category: 'identity_attack', weight })

/**
 * Weights for the phrases of obscenity's English data set, keyed by the phrase's `originalWord`.
 * Words that are also clinical or everyday vocabulary (penis, sex, anal) weigh below the default
 * threshold of 0.5, so a medical answer is not flagged toxic on one word.
 */
export const LIBRARY_TERMS: Readonly<Record<string, TermInfo>> = {
  abo: slur(0.9),
  abeed: slur(0.9),
  africoon: slur(0.95),
  anal: sexual(0.3),
  anus: sexual(0.2),
  arabush: slur(0.9),
  arse: profanity(0.5),
  ass: profanity(0.5),
  bastard: insult(0.7),
  bestiality: sexual(0.6),
  bitch: insult(0.8, 0.9),
  blowjob: sexual(0.7),
  bollocks: profanity(0.5),
  boob: sexual(0.4),
  boonga: slur(0.9),
  buttplug: sexual(0.7),
  chingchong: slur(0.9),
  chink: slur(0.9),
  cock: sexual(0.6),
  cuck: insult(0.6),
  cum: sexual(0.6),
  cunt: insult(0.9, 0.95),
  deepthroat: sexual(0.7),
  dick: profanity(0.55),
  dildo: sexual(0.6),
  doggystyle: sexual(0.7),
  'double penetration': sexual(0.7),
  dyke: slur(0.7),
  ejaculate: sexual(0.4),
  fag: slur(0.9),
  felch: sexual(0.8),
  fellatio: sexual(0.5),
  'finger bang': sexual(0.7),
  fisting: sexual(0.6),
  fuck: profanity(0.8, 0.9),
  gangbang: sexual(0.8),
  handjob: sexual(0.7),
  hentai: sexual(0.6),
  hooker: sexual(0.5),
  incest: sexual(0.5),
  'jerk off': sexual(0.7),
  jizz: sexual(0.7),
  kike: slur(0.95),
  lubejob: sexual(0.7),
  masturbate: sexual(0.5),
  negro: slur(0.6),
  nigger: slur(0.95),
  orgasm: sexual(0.4),
  orgy: sexual(0.5),
  penis: sexual(0.25),
  piss: profanity(0.5),
  porn: sexual(0.5),
  prick: insult(0.6),
  pussy: sexual(0.7),
  rape: sexual(0.6),
  retard: insult(0.7, 0.9),
  scat: sexual(0.3),
  semen: sexual(0.3),
  sex: sexual(0.2),
  shit: profanity(0.6),
  slut: insult(0.85, 0.9),
  spastic: slur(0.7),
  tit: sexual(0.5),
  tranny: slur(0.85),
  turd: profanity(0.5),
  twat: insult(0.8),
  vagina: sexual(0.25),
  wank: profanity(0.7),
  whore: insult(0.85, 0.9),
}

/**
 * Our own insult layer (the library lists profanity and slurs, not insults). Each entry is an
 * obscenity pattern: `|` anchors at a word boundary, `[?]` is any character; the library's leetspeak,
 * confusable-character and repeated-letter handling applies to these too (`1d10t`, `id1ooot`).
 */
export const OWN_TERMS: readonly { word: string; patterns: readonly string[]; info: TermInfo }[] = [
  { word: 'idiot', patterns: ['|idiot'], info: insult(0.6) },
  { word: 'moron', patterns: ['|moron'], info: insult(0.6) },
  { word: 'imbecile', patterns: ['|imbecil'], info: insult(0.6) },
  { word: 'cretin', patterns: ['|cretin|', '|cretins|'], info: insult(0.6) },
  { word: 'dumbass', patterns: ['|dumbass', '|dumb ass|'], info: insult(0.75) },
  { word: 'dimwit', patterns: ['|dimwit', '|halfwit', '|nitwit'], info: insult(0.6) },
  { word: 'numbskull', patterns: ['|numbskull', '|numskull'], info: insult(0.6) },
  { word: 'scumbag', patterns: ['|scumbag', '|scum|', '|lowlife'], info: insult(0.7) },
  {
    word: 'dipshit',
    patterns: ['|dipshit', '|shithead', '|dickhead', '|asshat', '|jackass'],
    info: insult(0.8),
  },
  { word: 'douchebag', patterns: ['|douchebag', '|douche|'], info: insult(0.7) },
  { word: 'loser', patterns: ['|loser|', '|losers|'], info: insult(0.35) },
  { word: 'stupid', patterns: ['|stupid', '|dumb|'], info: insult(0.2, 0.75) },
  {
    word: 'pathetic',
    patterns: ['|pathetic|', '|worthless|', '|useless|', '|disgusting|', '|ugly|'],
    info: insult(0.1, 0.75),
  },
  { word: 'subhuman', patterns: ['|subhuman', '|untermensch'], info: slur(0.8) },
]

/** Maskable words: `sh*t`, `f**k`, `b*tch` count as the word when every visible letter agrees. */
export const MASKABLE: Readonly<Record<string, string>> = {
  fuck: 'fuck',
  fucking: 'fuck',
  fucker: 'fuck',
  shit: 'shit',
  shitty: 'shit',
  bitch: 'bitch',
  cunt: 'cunt',
  asshole: 'ass',
  dick: 'dick',
  cock: 'cock',
  twat: 'twat',
  whore: 'whore',
  slut: 'slut',
  bastard: 'bastard',
  nigger: 'nigger',
  faggot: 'fag',
  wanker: 'wank',
  idiot: 'idiot',
  retard: 'retard',
}

/**
 * Words that contain a listed term but are not offensive (place names, names, food, technical
 * words). A match whose enclosing word is listed here, or starts with an entry ending in `*`, is dropped.
 */
export const SAFE_WORDS: readonly string[] = [
  'penistone',
  'cumin',
  'cumins',
  'shiitake',
  'shiitakes',
  'pussycat',
  'pussycats',
  'pussywillow',
  'fagin',
  'retardant',
  'retardants',
  'retardation',
  'rapeseed',
  'rapeseeds',
  'twatt',
  'shitterton',
  'scattered',
  'scatter*',
  'moby-dick',
  'dickinson',
  'dickson',
  'dickensian',
  'cockburn',
  'hancock',
  'peacock*',
  'cockpit*',
  'cocktail*',
  'cockroach*',
  'cockerel*',
  'cockermouth',
  'shuttlecock*',
  'hitchcock',
  'babcock',
  'titan*',
  'title*',
  'titular',
  'titmouse',
  'titration',
  'tittle',
  'scunthorpe',
  'sussex',
  'essex',
  'wessex',
  'middlesex',
  'sextant*',
  'sextet*',
  'sexton*',
  'analys*',
  'analog*',
  'canal*',
  'banal*',
  'assassin*',
  'classic*',
  'grapefruit*',
  'therapist*',
  'arsenal*',
  'arsenic',
  'scrap*',
  'skyscraper*',
  'document*',
  'cumulative',
  'accumulat*',
  'circumstance*',
  'cucumber*',
]

/** Regular expressions over the normalised text that add their own category and weight. */
export interface ContextRule {
  id: string
  category: ToxicityCategory
  weight: number
  pattern: RegExp
}

const YOU = String.raw`(?:you|u|ya|yall|y'all|you all)`
const WILL = String.raw`(?:'ll|ll| will| shall|'m going to| am going to| are going to|'m gonna| am gonna| gonna| want to| wanna)`
const HARM = String.raw`(?:kill|murder|hurt|shoot|stab|strangle|choke|beat|punch|rape|slaughter|butcher|torture|burn|hang|lynch|gut|behead|bury)`
const GROUPS = String.raw`(?:women|men|girls|boys|females|males|blacks|black people|whites|white people|asians|asian people|latinos|hispanics|mexicans|arabs|africans|indians|chinese|jews|jewish people|muslims|christians|hindus|sikhs|buddhists|atheists|immigrants|migrants|refugees|foreigners|gays|gay people|lesbians|homosexuals|trans people|transgender people|disabled people|the disabled|cripples|old people|the elderly|boomers|poor people)`
const DEHUMANIZING = String.raw`(?:animals|vermin|subhuman|savages|parasites|inferior|disgusting|filth|filthy|trash|garbage|scum|criminals|terrorists|rapists|stupid|dirty|evil|rats|cockroaches|apes|monkeys|pigs|dogs|a disease|a plague|a cancer|worthless|less than human|not human)`

/** Threat and identity-attack phrasings (the library has no such layer). */
export const CONTEXT_RULES: readonly ContextRule[] = [
  {
    id: 'threat/first-person-harm',
    category: 'threat',
    weight: 0.9,
    pattern: new RegExp(
      String.raw`\b(?:i|we)${WILL}\s+(?:\w+\s+)?${HARM}\s+(?:${YOU}|your\s+\w+|him|her|them)\b`,
      'i',
    ),
  },
  {
    id: 'threat/you-will-die',
    category: 'threat',
    weight: 0.85,
    pattern: new RegExp(
      String.raw`\b${YOU}(?:'re| are| r)\s+(?:going to|gonna)\s+(?:die|pay for this|regret this|suffer|be sorry)\b`,
      'i',
    ),
  },
  {
    id: 'threat/you-should-die',
    category: 'threat',
    weight: 0.9,
    pattern: new RegExp(
      String.raw`\b${YOU}\s+(?:should|deserve to|ought to|need to|better|must)\s+(?:just\s+)?(?:die|be killed|be shot|be hanged|suffer|rot)\b`,
      'i',
    ),
  },
  {
    id: 'threat/kill-yourself',
    category: 'threat',
    weight: 0.95,
    pattern: /\b(?:kill|hang|shoot)\s+(?:yo)?ur\s?self\b|\bkys\b/i,
  },
  {
    id: 'threat/know-where-you-live',
    category: 'threat',
    weight: 0.85,
    pattern: /\bi\s+know\s+where\s+(?:you|u)\s+live\b|\bwatch\s+your\s+back\b/i,
  },
  {
    id: 'identity/dehumanizing',
    category: 'identity_attack',
    weight: 0.9,
    pattern: new RegExp(
      String.raw`\b(?:all\s+)?${GROUPS}\s+(?:are|r|were)\s+(?:all\s+|just\s+|nothing but\s+)?(?:\w+\s+)?${DEHUMANIZING}\b`,
      'i',
    ),
  },
  {
    id: 'identity/hate',
    category: 'identity_attack',
    weight: 0.85,
    pattern: new RegExp(
      String.raw`\b(?:i|we)\s+(?:hate|despise|loathe)\s+(?:all\s+)?${GROUPS}\b`,
      'i',
    ),
  },
  {
    id: 'identity/exclusion',
    category: 'identity_attack',
    weight: 0.8,
    pattern: new RegExp(
      String.raw`\b(?:go back to (?:your|their) (?:own )?country|${GROUPS}\s+(?:should|must)\s+(?:be\s+)?(?:banned|deported|exterminated|eliminated|not be allowed))\b`,
      'i',
    ),
  },
]

/** A second-person frame just before a term: "you are a", "you're such an", "you". */
export const DIRECTED_BEFORE = new RegExp(
  String.raw`\b${YOU}(?:\s*(?:'re|are|r|is|were))?\s+(?:(?:such|so|a|an|the|one|total|complete|absolute|fucking|fuckin|freaking|little|real|big|utter|stupid|dumb|pathetic|worthless|ugly|lazy|fat)\s+){0,3}$|\b(?:ur|you're|youre)\s+(?:(?:such|so|a|an|the|total|complete|absolute|fucking|little|real|big|utter)\s+){0,3}$`,
  'i',
)
