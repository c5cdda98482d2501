import { notAvailable } from '../cli/not-available.js'

/** `llmops deploy`: Deploy a commit (GitHub Deployment, MLflow alias), smoke-evaluate, roll back on failure. */
export const deployCommand = notAvailable(
  'deploy',
  'Deploy a commit (GitHub Deployment, MLflow alias), smoke-evaluate, roll back on failure',
  'llmops deploy --environment E --sha S [--mlflow-uri URL --model NAME --version V --alias A] [--no-github]',
  8,
)
