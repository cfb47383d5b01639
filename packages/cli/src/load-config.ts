import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { OrmAIConfig } from './config.js';

const CANDIDATES = ['ormai.config.ts', 'ormai.config.mts', 'ormai.config.js', 'ormai.config.mjs'];

/** A config file that cannot be used: the CLI prints the message and exits with 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Loads the config module (TypeScript through tsx), from `--config` or the first candidate in `cwd`. */
export async function loadConfig(path: string | undefined, cwd = process.cwd()): Promise<OrmAIConfig> {
  const file = path ? resolve(cwd, path) : CANDIDATES.map((name) => resolve(cwd, name)).find((candidate) => existsSync(candidate));
  if (!file || !existsSync(file)) throw new ConfigError(path ? `config file not found: ${path}` : `no ${CANDIDATES.join(' / ')} in ${cwd} (or pass --config)`);
  const module = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: { default?: unknown } };
  // A .ts file outside a `"type": "module"` package loads as CommonJS: its default export arrives nested once more.
  const exported = module.default?.default ?? module.default ?? module;
  const config = exported as Partial<OrmAIConfig>;
  if (typeof config.setup !== 'function' || !config.principals?.a || !config.principals?.b) {
    throw new ConfigError(`${file}: the default export needs setup() and principals { a, b } (see defineConfig)`);
  }
  return config as OrmAIConfig;
}
