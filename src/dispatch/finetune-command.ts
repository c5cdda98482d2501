import { notAvailable } from '../cli/not-available.js'

/** `llmops finetune`: Dispatch a fine-tune job (Ray, Kubernetes, workflow, webhook) and follow it to the end. */
export const finetuneCommand = notAvailable(
  'finetune',
  'Dispatch a fine-tune job (Ray, Kubernetes, workflow, webhook) and follow it to the end',
  'llmops finetune --target ray --address URL --entrypoint CMD [--timeout S]',
  8,
)
