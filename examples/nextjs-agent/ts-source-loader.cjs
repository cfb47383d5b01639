// Monorepo only: the workspace's TypeScript sources import each other as `./file.js` (NodeNext style),
// which Turbopack does not map to `./file.ts` yet. This loader rewrites those relative specifiers when
// the `.ts` file exists. An app that installs OrmAI from npm needs none of this.
const { existsSync } = require('node:fs');
const { dirname, resolve } = require('node:path');

const RELATIVE_JS = /(\b(?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.js(['"])/g;

module.exports = function tsSourceLoader(source) {
  const dir = dirname(this.resourcePath);
  return source.replace(RELATIVE_JS, (match, head, path, quote) => (existsSync(resolve(dir, `${path}.ts`)) ? `${head}${path}.ts${quote}` : match));
};
