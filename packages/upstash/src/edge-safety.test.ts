import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The files the main entry loads, following relative imports from index.ts. */
function closureOf(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.[^'"]+)['"]/g)) visit(resolve(dirname(file), spec!.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return [...seen];
}

describe('@ormai/upstash main entry stays edge-safe', () => {
  it('imports no Node built-in, no ioredis and uses no Node global', () => {
    const files = closureOf(join(import.meta.dirname, 'index.ts'));
    expect(files.map((f) => f.slice(import.meta.dirname.length + 1)).sort()).toEqual(['index.ts', 'script-budget-store.ts', 'sliding-window-script.ts', 'upstash-budget-store.ts']);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
      for (const spec of imports) expect(spec.startsWith('.') || spec === '@ormai/core' || spec === '@upstash/redis', `${file}: ${spec}`).toBe(true);
      expect(text, file).not.toMatch(/\brequire\(|\bprocess\.[a-zA-Z]|\bBuffer\.[a-zA-Z]|globalThis\.(process|Buffer)/);
    }
  });
});
