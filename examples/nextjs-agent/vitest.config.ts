import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  // One server and one browser per file; the files run one after the other, so two Next.js servers never
  // compete for the machine, and a file's tests run in order, each signing in afresh.
  test: { include: ['test/**/*.test.ts'], fileParallelism: false, testTimeout: 60_000, hookTimeout: 120_000 },
});
