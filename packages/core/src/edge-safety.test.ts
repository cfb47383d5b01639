import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = import.meta.dirname;
/** The Node-only entry (`@ormai/core/node`): the one place allowed to import Node built-ins. */
const nodeOnly = join(root, 'node');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === nodeOnly ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

describe('@ormai/core stays edge-safe', () => {
  it('imports no Node built-in and no ORM', () => {
    const files = sources(root);
    expect(files.length).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // Static, side-effect and dynamic imports, either quote style.
      const imports = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
      for (const spec of imports) seen.add(spec.startsWith('.') ? '.' : spec);
      // The OpenTelemetry API is pure JavaScript (edge-safe), and only the optional `@ormai/core/otel` entry uses it.
      const otel = (spec: string) => spec === '@opentelemetry/api' && relative(join(root, 'otel'), file).split('/')[0] !== '..';
      for (const spec of imports) expect(spec.startsWith('.') || spec === 'zod' || spec.startsWith('@noble/hashes/') || otel(spec), `${file}: ${spec}`).toBe(true);
      expect(text, file).not.toMatch(/\brequire\(|\bprocess\.[a-zA-Z]|\bBuffer\.[a-zA-Z]|globalThis\.(process|Buffer)/);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['.', 'zod', '@noble/hashes/sha2.js'])); // the scan really reads imports
  });

  it('never reaches into the Node-only directory from the edge-safe code', () => {
    const files = sources(root);
    expect(readdirSync(nodeOnly).length).toBeGreaterThan(0); // the directory excluded above exists
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.[^'"]+)['"]/g)].map((m) => join(file, '..', m[1]!));
      for (const target of imports) expect(relative(nodeOnly, target).startsWith('..'), `${relative(root, file)} imports ${relative(root, target)}`).toBe(true);
    }
  });
});
