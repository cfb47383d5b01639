// After `changeset version`: audit records carry core's version, so packages/core/src/version.ts follows package.json.
import { readFileSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../packages/core/package.json', import.meta.url), 'utf8'));
const file = new URL('../packages/core/src/version.ts', import.meta.url);
writeFileSync(file, readFileSync(file, 'utf8').replace(/ORMAI_VERSION = '[^']*'/, `ORMAI_VERSION = '${version}'`));
