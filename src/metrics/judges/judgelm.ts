import type { ChatMessage } from '../../providers/types.js'

const SYSTEM = 'You are a helpful and precise assistant for checking the quality of the answer.'
const CRITERIA =
  'We would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\n' +
  'Please rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\n' +
  'Please first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.'

/**
 * JudgeLM's pairwise prompt (baaivision/JudgeLM, judgelm/llm_judge/common.py): one text with the
 * system sentence, question, optional reference, both answers and the instruction, ending with
 * `### Response:`. Sent as a single user message.
 */
export function judgelmPrompt(p: {
  question: string
  answer1: string
  answer2: string
  reference?: string
}): ChatMessage[] {
  const ref = p.reference !== undefined ? `[Reference Answer]\n${p.reference}\n\n` : ''
  const text =
    `${SYSTEM}\n[Question]\n${p.question}\n\n${ref}` +
    `[The Start of Assistant 1's Answer]\n${p.answer1}\n\n[The End of Assistant 1's Answer]\n\n` +
    `[The Start of Assistant 2's Answer]\n${p.answer2}\n\n[The End of Assistant 2's Answer]\n\n` +
    `[System]\n${CRITERIA}\n\n### Response:`
  return [{ role: 'user', content: text }]
}

/** JudgeLM `parse_score`: first line, commas to spaces, split on single spaces; two floats or [-1, -1]. */
export function parseJudgelmScores(review: string): [number, number] {
  const first = (review.split('\n')[0] ?? '').replaceAll(',', ' ')
  const parts = first.split(' ')
  if (parts.length !== 2) return [-1, -1]
  const a = pyFloat(parts[0] ?? '')
  const b = pyFloat(parts[1] ?? '')
  return a === null || b === null ? [-1, -1] : [a, b]
}

/** Python `float(s)` for the forms a judge writes (surrounding whitespace allowed, nothing else). */
function pyFloat(s: string): number | null {
  const t = s.trim()
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?(?:inf|infinity|nan)$/i.test(t))
    return null
  const lower = t.toLowerCase().replace(/^\+/, '')
  if (lower.endsWith('inf') || lower.endsWith('infinity'))
    return lower.startsWith('-') ? -Infinity : Infinity
  return Number(t)
}

/** Win label with tie margin T: 1 if Assistant 1 wins by more than T, -1 if Assistant 2 does, else 0. */
export function winLabel(s1: number, s2: number, margin = 0): 1 | 0 | -1 {
  if (s1 - s2 > margin) return 1
  if (s2 - s1 > margin) return -1
  return 0
}
