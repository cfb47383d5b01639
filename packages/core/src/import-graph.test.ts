import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = import.meta.dirname;

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

/** Every relative import and re-export of a file, `import type` and `export type` included, as a source path. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"](\.[^'"]+)['"]/gms)].map((m) => m[1]!);
  return specifiers.map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
}

/** The first cycle found by depth-first search, as a list of files (first = last), or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

describe('@ormai/core import graph', () => {
  const files = sources(root);
  const graph = new Map(files.map((file) => [file, relativeImports(file)]));

  it('reads real imports, type-only ones included', () => {
    expect(files.length).toBeGreaterThan(10);
    const edges = [...graph.values()].flat();
    expect(edges.length).toBeGreaterThan(files.length);
    for (const target of edges) expect(graph.has(target), `unresolved import ${relative(root, target)}`).toBe(true);
    expect(findCycle(new Map([['a', ['b']], ['b', ['a']]]))).toEqual(['a', 'b', 'a']); // the search finds a known cycle
  });

  it('keeps the public interfaces in spec/ free of implementations: type-only imports of specs, nothing heavy', () => {
    const specs = files.filter((file) => relative(root, file).startsWith('spec/'));
    expect(specs.length).toBeGreaterThan(5);
    for (const file of specs) {
      const text = readFileSync(file, 'utf8');
      for (const [statement, spec] of text.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gms)) {
        const from = spec!;
        expect(statement, relative(root, file)).toMatch(/^\s*(import|export) type\b/);
        expect(from.startsWith('./') || from === '../schema-info.js' || from === 'zod', `${relative(root, file)}: ${from}`).toBe(true);
      }
      expect(text, relative(root, file)).not.toMatch(/^\s*export (const|function|class)\b/m);
    }
  });

  it('has no cycles, not even through type-only imports', () => {
    const cycle = findCycle(graph);
    expect(cycle?.map((file) => relative(root, file)).join(' -> ') ?? null).toBeNull();
  });
});
