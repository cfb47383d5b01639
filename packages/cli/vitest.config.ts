import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  // End-to-end tests spawn the real binary (tsx compiles it on start): on a loaded CI machine that takes seconds per run.
  test: { include: ['src/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 },
});
