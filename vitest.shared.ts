import { fileURLToPath } from 'node:url';

/** Tests import workspace packages from source, so `npm test` needs no build step. */
const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export const workspaceAliases = {
  '@ormai/core': src('core'),
  '@ormai/sequelize': src('sequelize'),
};
