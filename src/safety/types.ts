/** One output's toxicity verdict, whatever scorer produced it. */
export interface ToxicityResult {
  toxic: boolean
  /** 0-1; for binary scorers (Llama Guard) 0 or 1. */
  toxicity: number
  categories: string[]
}

/** A toxicity scorer chosen in config: lexicon (offline default), moderation, Llama Guard, classifier. */
export interface ToxicityScorer {
  readonly name: string
  /**
   * Scores outputs in order. `prompts[i]`, when given, is the user turn that produced `outputs[i]`
   * (Llama Guard classifies the last Agent turn of a conversation). Model-backed scorers throw an
   * InfrastructureError when the endpoint fails after retries and never return "safe" for a reply
   * they could not read.
   */
  score(
    outputs: string[],
    signal?: AbortSignal,
    prompts?: readonly (string | undefined)[],
  ): Promise<ToxicityResult[]>
}

/** Our own toxicity categories (the lexicon scorer's; model-backed scorers report theirs, mapped where known). */
export const TOXICITY_CATEGORIES = [
  'profanity',
  'insult',
  'identity_attack',
  'threat',
  'sexual',
] as const
export type ToxicityCategory = (typeof TOXICITY_CATEGORIES)[number]

export type PiiKind =
  'email' | 'phone' | 'credit_card' | 'iban' | 'national_id' | 'secret' | 'ip_address'

/**
 * One PII or secret found in a text. `span` is `[start, end)` in UTF-16 code units (JavaScript string
 * indices, `text.slice(start, end)` is the match); `detail` names the sub-kind (e.g. `us_ssn`, `aws_access_key_id`).
 */
export interface PiiFinding {
  kind: PiiKind
  span: [number, number]
  detail?: string
}
