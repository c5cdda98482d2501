import type { ChatMessage, ModelClient } from '../../providers/types.js'

/** SelfCheckGPT LLM-prompt template (potsawee/selfcheckgpt, modeling_selfcheck_apiprompt.py, MIT). */
export const SELFCHECK_TEMPLATE =
  'Context: {context}\n\nSentence: {sentence}\n\nIs the sentence supported by the context above? Answer Yes or No.\n\nAnswer: '

/** The single user message asking whether a sample supports a sentence (sample newlines become spaces). */
export function selfcheckPrompt(sample: string, sentence: string): ChatMessage[] {
  const context = sample.replaceAll('\n', ' ')
  return [
    {
      role: 'user',
      content: SELFCHECK_TEMPLATE.replace('{context}', () => context).replace(
        '{sentence}',
        () => sentence,
      ),
    },
  ]
}

/** Upstream mapping: lower-cased, trimmed text starting with "yes" → 0, "no" → 1, otherwise 0.5. */
export function selfcheckAnswerScore(output: string): number {
  const t = output.toLowerCase().trim()
  if (t.startsWith('yes')) return 0.0
  if (t.startsWith('no')) return 1.0
  return 0.5
}

const SENTENCE_END = /(?<=[.!?])["')\]]*\s+(?=\S)/u

/**
 * Splits a response into sentences. Upstream uses spaCy's sentencizer; this rule (split after . ! ?
 * and closing quotes when whitespace follows) is ours and is recorded in the metric's definition.
 */
export function splitSentences(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line) => line.split(SENTENCE_END))
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/** Per-sentence hallucination scores (mean over samples, higher = less supported) and their mean. */
export async function selfcheckScores(
  judge: ModelClient,
  sentences: readonly string[],
  samples: readonly string[],
  signal?: AbortSignal,
): Promise<{ sentences: number[]; mean: number | null }> {
  const scores: number[] = []
  for (const sentence of sentences) {
    let sum = 0
    for (const sample of samples) {
      const res = await judge.chat(
        { messages: selfcheckPrompt(sample, sentence), temperature: 0, max_tokens: 5 },
        signal ? { signal } : {},
      )
      sum += selfcheckAnswerScore(res.text)
    }
    scores.push(samples.length === 0 ? NaN : sum / samples.length)
  }
  const valid = scores.filter((s) => !Number.isNaN(s))
  return {
    sentences: scores,
    mean: valid.length === 0 ? null : valid.reduce((a, b) => a + b, 0) / valid.length,
  }
}
