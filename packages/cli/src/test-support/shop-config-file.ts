import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ShopSetupOptions } from './shop-setup.js';

const SETUP_MODULE = fileURLToPath(new URL('./shop-setup.ts', import.meta.url));

/**
 * Writes `dir/ormai.config.mts` over the shop, for tests that run the real binary. Give a `location` so
 * every process opens the same shop; only serializable options (no `policyOverrides`) fit in a file.
 * `.mts`: a `.ts` file outside a `"type": "module"` package loads as CommonJS, its default export nested.
 */
export function writeShopConfig(dir: string, options: Omit<ShopSetupOptions, 'policyOverrides'>): string {
  const file = join(dir, 'ormai.config.mts');
  writeFileSync(file, `import { shopSetup } from ${JSON.stringify(SETUP_MODULE)};\n\nexport default shopSetup(${JSON.stringify(options)});\n`);
  return file;
}
