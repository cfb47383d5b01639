import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: { include: ['**/*.test.ts'], exclude: ['**/node_modules/**'], testTimeout: 30_000, hookTimeout: 180_000 },
});
