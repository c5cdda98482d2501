import { Xoshiro128 } from '../stats/prng.js'

const WORDS =
  'time year people way day man thing woman life child world school state family student group country problem hand part place case week company system program question work government number night point home water room mother area money story fact month lot right study book eye job word business issue side kind head house service friend father power hour game line end member law car city community name president team minute idea kid body information back parent face others level office door health person art war history party result change morning reason research girl guy moment air teacher force education'.split(
    ' ',
  )

/** The server's tokenizer (/tokenize and /detokenize), when it has one. */
export interface ServerTokenizer {
  tokenize(text: string): Promise<number[] | null>
  detokenize(ids: number[]): Promise<string | null>
}

/** A prompt and its length in tokens (null when the server cannot tokenize and the length is estimated). */
export interface Prompt {
  text: string
  tokens: number | null
}

function words(rng: Xoshiro128, count: number): string {
  const out: string[] = []
  for (let i = 0; i < count; i++) out.push(WORDS[rng.nextInt(WORDS.length)]!)
  return out.join(' ')
}

/**
 * Synthetic prompts of a given input length, each different (a unique index and seeded words, so no
 * prefix cache hit across requests). With the server's tokenizer the text is cut to exactly
 * `inputTokens` tokens; without it the length is estimated (~1.3 tokens per word) and marked unknown.
 */
export async function syntheticPrompts(
  count: number,
  inputTokens: number,
  seed: number,
  tokenizer: ServerTokenizer | null,
  tag = 'Request',
): Promise<Prompt[]> {
  const rng = new Xoshiro128(seed)
  const prompts: Prompt[] = []
  for (let i = 0; i < count; i++) {
    const head = `${tag} ${seed}-${i}: `
    let text = head + words(rng, Math.max(1, Math.ceil(inputTokens / 1.2)))
    let tokens: number | null = null
    if (tokenizer) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const ids = await tokenizer.tokenize(text)
        if (!ids) break
        if (ids.length === inputTokens) {
          tokens = inputTokens
          break
        }
        if (ids.length > inputTokens) {
          const cut = await tokenizer.detokenize(ids.slice(0, inputTokens))
          if (cut === null) break
          text = cut
          continue
        }
        text += ` ${words(rng, inputTokens - ids.length + 2)}`
      }
    }
    prompts.push({ text, tokens })
  }
  return prompts
}
