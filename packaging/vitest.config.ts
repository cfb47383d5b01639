import { defineConfig } from 'vitest/config';

// Its own workspace, so turbo runs it next to the other suites rather than after them in one worker.
export default defineConfig({
  test: { include: ['*.test.ts'], testTimeout: 60_000, hookTimeout: 480_000 },
});
