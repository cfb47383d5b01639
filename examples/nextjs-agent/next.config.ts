import type { NextConfig } from 'next';

/**
 * Monorepo only: the OrmAI packages and the quickstart's shop compile from their TypeScript sources, so
 * `next build` needs no build of theirs first. An app that installs OrmAI from npm drops `turbopack`.
 */
const ormaiSources = {
  '@ormai/ai-sdk/testing': '../../packages/ai-sdk/src/testing.ts',
  '@ormai/ai-sdk': '../../packages/ai-sdk/src/index.ts',
  '@ormai/core': '../../packages/core/src/index.ts',
  '@ormai/sequelize': '../../packages/sequelize/src/index.ts',
  '@ormai/upstash/ratelimit': '../../packages/upstash/src/ratelimit.ts',
  '@ormai/upstash': '../../packages/upstash/src/index.ts',
};
const workspaceSource = { path: /(^|\/)(packages\/[^/]+|examples\/quickstart)\/src\// };

const nextConfig: NextConfig = {
  // Loaded by Node at run time, not bundled: Sequelize picks its dialect driver (sqlite3's native addon, pg) itself.
  serverExternalPackages: ['sequelize', 'sqlite3', 'pg', 'pg-hstore'],
  // `npm run typecheck` (tsc over the same tsconfig) checks the types; the build does not do it twice.
  typescript: { ignoreBuildErrors: true },
  turbopack: {
    resolveAlias: ormaiSources,
    rules: { '*.ts': { condition: workspaceSource, loaders: ['./ts-source-loader.cjs'], as: '*.ts' } },
  },
};

export default nextConfig;
