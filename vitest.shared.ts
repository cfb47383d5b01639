import { fileURLToPath } from 'node:url';

/** Tests import workspace packages from source, so `npm test` needs no build step. */
const src = (pkg: string, file = 'index') => fileURLToPath(new URL(`./packages/${pkg}/src/${file}.ts`, import.meta.url));

// Longest first: an alias matches by prefix.
export const workspaceAliases = {
  '@ormai/ai-sdk/testing': src('ai-sdk', 'testing'),
  '@ormai/upstash/node': src('upstash', 'node'),
  '@ormai/upstash/ratelimit': src('upstash', 'ratelimit'),
  '@ormai/core/testing': src('core', 'testing'),
  '@ormai/core/node': src('core', 'node/index'),
  '@ormai/core/otel': src('core', 'otel/index'),
  '@ormai/core': src('core'),
  '@ormai/sequelize': src('sequelize'),
  '@ormai/ai-sdk': src('ai-sdk'),
  '@ormai/upstash': src('upstash'),
  '@ormai/cli': src('cli'),
};
