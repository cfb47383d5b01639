import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

describe('@ormai/core stays edge-safe', () => {
  it('imports no Node built-in and no ORM', () => {
    const files = sources(import.meta.dirname);
    expect(files.length).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // Static, side-effect and dynamic imports, either quote style.
      const imports = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
      for (const spec of imports) seen.add(spec.startsWith('.') ? '.' : spec);
      for (const spec of imports) expect(spec.startsWith('.') || spec === 'zod' || spec.startsWith('@noble/hashes/'), `${file}: ${spec}`).toBe(true);
      expect(text, file).not.toMatch(/\brequire\(|\bprocess\.[a-zA-Z]|\bBuffer\.[a-zA-Z]|globalThis\.(process|Buffer)/);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['.', 'zod', '@noble/hashes/sha2.js'])); // the scan really reads imports
  });
});
