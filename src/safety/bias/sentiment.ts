import vader from 'vader-sentiment'

/**
 * VADER compound sentiment in [-1, 1] (Hutto and Gilbert 2014; npm `vader-sentiment`, Apache-2.0,
 * with the MIT-licensed VADER lexicon). Chosen over AFINN-based `sentiment` because AFINN's word list
 * is under the Open Database License, and VADER handles negation, intensifiers and punctuation.
 */
export function sentimentScore(text: string): number {
  if (text.trim() === '') return 0
  return vader.SentimentIntensityAnalyzer.polarity_scores(text).compound
}
