#!/usr/bin/env node
// The `llmops` CLI: the same bundle the GitHub Action runs, entered in CLI mode.
process.env.LLMOPS_ENTRY = 'cli'
await import('../dist/index.js')
