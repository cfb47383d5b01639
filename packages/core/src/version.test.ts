import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ORMAI_VERSION } from './version.js';

it('the version audit records carry is the package version (bump both together)', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(ORMAI_VERSION).toBe(pkg.version);
});
