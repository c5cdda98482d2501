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
  score(outputs: string[], signal?: AbortSignal): Promise<ToxicityResult[]>
}

export interface PiiFinding {
  kind: 'email' | 'phone' | 'credit_card' | 'iban' | 'national_id' | 'secret' | 'ip_address'
  span: [number, number]
}
