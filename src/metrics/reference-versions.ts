/**
 * The reference implementations (and versions) our metrics are verified against in the
 * integration-tier differential tests (python/requirements/metrics.txt pins the same versions).
 */
export const SACREBLEU_VERSION = '2.6.0'
export const ROUGE_SCORE_VERSION = '0.1.2'
export const NLTK_VERSION = '3.10.4'
