import type { Config } from '../config/schema.js'
import { EMPTY_CATALOG, type CommandCatalog } from './command-specs.js'

/**
 * The names comment commands may refer to, from the loaded configuration. Deploy environments come
 * only from the explicit allowlist `commands.deploy.environments`: without it `/deploy` targets nothing.
 */
export function catalogFromConfig(config: Config | undefined): CommandCatalog {
  if (!config) return EMPTY_CATALOG
  return {
    commands: config.commands ?? {},
    suites: config.suites.map((s) => s.name),
    providers: Object.keys(config.providers),
    scenarios: config.benchmark?.scenarios.map((s) => s.name) ?? [],
    environments: config.commands?.deploy?.environments ?? [],
  }
}
