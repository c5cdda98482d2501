import { describe, expect, it } from 'vitest'
import { inputsToArgv } from '../../../src/action/inputs.js'
import { actionIo } from '../../../src/action/io.js'
import { kubernetesTargetFromFlags } from '../../../src/dispatch/kubernetes-target.js'

describe('actions/finetune with target kubernetes', () => {
  it('passes image, job-command, namespace and kubeconfig as the CLI flags', () => {
    const inputs: Record<string, string> = {
      target: 'kubernetes',
      image: 'ghcr.io/octo/trainer:1',
      'job-command': '["python", "train.py", "--lr", "3e-4"]',
      namespace: 'training',
      kubeconfig: '/home/runner/.kube/ci',
    }
    const { argv } = inputsToArgv(actionIo.finetune, (name) => inputs[name] ?? '')
    // The default --config is there too; --target takes precedence over it.
    expect(argv).toEqual([
      '--config=.github/llmops.yml',
      '--target=kubernetes',
      '--image=ghcr.io/octo/trainer:1',
      '--command=["python", "train.py", "--lr", "3e-4"]',
      '--namespace=training',
      '--kubeconfig=/home/runner/.kube/ci',
    ])
  })

  it('reads --command as a JSON array or as words, never through a shell', () => {
    const base = { image: 'i' }
    expect(
      kubernetesTargetFromFlags({ ...base, command: '["sh", "-c", "echo $HOME"]' }).command,
    ).toEqual(['sh', '-c', 'echo $HOME'])
    expect(kubernetesTargetFromFlags({ ...base, command: '  python  train.py ' }).command).toEqual([
      'python',
      'train.py',
    ])
    expect(() => kubernetesTargetFromFlags({ ...base, command: '["unterminated' })).toThrow(
      /--target kubernetes: .*command.* \(--command is a JSON array of strings or words separated by spaces\)/,
    )
    expect(() => kubernetesTargetFromFlags({ ...base, command: 'x', namespace: 'Bad_NS' })).toThrow(
      /must be a DNS-1123 label/,
    )
  })
})
