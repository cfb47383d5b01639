import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ShopSetupOptions } from '../../test-support/shop-setup.js';

const SETUP_MODULE = fileURLToPath(new URL('../../test-support/shop-setup.ts', import.meta.url));

/**
 * Writes `dir/ormai.config.mts` over the shop whose setup also returns `audit: auditSink.location`, the
 * field `ormai audit query` and `ormai review` read.
 */
export function writeAuditedShopConfig(dir: string, options: Omit<ShopSetupOptions, 'policyOverrides'>): string {
  // .mts: an ES module whatever the folder's package.json says.
  const file = join(dir, 'ormai.config.mts');
  writeFileSync(
    file,
    `import { shopSetup } from ${JSON.stringify(SETUP_MODULE)};

const shop = shopSetup(${JSON.stringify(options)});

export default {
  ...shop,
  async setup() {
    const setup = await shop.setup();
    return { ...setup, audit: setup.auditSink?.location };
  },
};
`,
  );
  return file;
}
