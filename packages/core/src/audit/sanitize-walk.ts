import type { BoundPolicy, NestedKeyRule } from '../spec/bound-policy.js';
import { AUDIT_INPUT_LIMITS, MARK } from './sanitize-text.js';

/** The state of one input's walk: what judges values, and what is left of its budget. */
export interface AuditWalk {
  bound: BoundPolicy;
  hashKey: Uint8Array;
  /** The policy's deny/mask globs, for keys. */
  keyRule: NestedKeyRule;
  /** Keys that mean something in this action's input; any other key's value is redacted. */
  grammar: ReadonlySet<string>;
  /** Values still allowed to be visited (see AUDIT_INPUT_LIMITS.maxValues). */
  remaining: number;
  /** Containers on the current path: one met again is a cycle. */
  ancestors: Set<object>;
}

export interface ContainerVisitor {
  /** Array elements, at most maxItems; absent when an array is not expected here (then it is redacted). */
  items?: (items: unknown[], depth: number) => unknown[];
  /** Own string-keyed entries of a plain object, at most maxKeys, undefined values left out; absent: redacted. */
  entries?: (entries: Array<[string, unknown]>, depth: number) => Array<[string, unknown]>;
}

const isPlain = (value: object) => [Object.prototype, null].includes(Object.getPrototypeOf(value));

/** A property read that may run a getter: one that throws leaves a marker instead. */
function read(value: object, key: PropertyKey): unknown {
  try {
    return (value as Record<PropertyKey, unknown>)[key];
  } catch {
    return MARK.unreadable;
  }
}

function readItems(value: unknown[]): { items: unknown[]; more: number } {
  const length = value.length;
  const items: unknown[] = [];
  for (let i = 0; i < Math.min(length, AUDIT_INPUT_LIMITS.maxItems); i++) items.push(read(value, i));
  return { items, more: length - items.length };
}

function readEntries(value: object): { entries: Array<[string, unknown]>; more: number } {
  const keys = Object.keys(value); // own, enumerable, string keys: symbol keys are not JSON
  const entries: Array<[string, unknown]> = [];
  for (const key of keys.slice(0, AUDIT_INPUT_LIMITS.maxKeys)) {
    const inner = read(value, key);
    if (inner !== undefined) entries.push([key, inner]);
  }
  return { entries, more: keys.length - Math.min(keys.length, AUDIT_INPUT_LIMITS.maxKeys) };
}

/**
 * Walks one object or array of untrusted input with the depth, size, cycle and budget limits applied in
 * one place. Anything but a plain object or array (a Map, a class instance, a typed array) is redacted
 * whole: its contents cannot be judged. Never throws: a trap or getter that does leaves a marker.
 */
export function walkContainer(walk: AuditWalk, value: object, depth: number, visit: ContainerVisitor): unknown {
  if (depth >= AUDIT_INPUT_LIMITS.maxDepth) return MARK.truncated;
  if (walk.ancestors.has(value)) return MARK.cycle;
  walk.ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      if (!visit.items) return MARK.redacted;
      const { items, more } = readItems(value);
      if ((walk.remaining -= items.length + 1) < 0) return MARK.truncated;
      const out = visit.items(items, depth + 1);
      return more > 0 ? [...out, `…[${more} more]`] : out;
    }
    if (!visit.entries || !isPlain(value)) return MARK.redacted;
    const { entries, more } = readEntries(value);
    if ((walk.remaining -= entries.length + 1) < 0) return MARK.truncated;
    const out = visit.entries(entries, depth + 1);
    // Not `out[key] =`: a `__proto__` key must stay a plain key, never set the prototype.
    return Object.fromEntries(more > 0 ? [...out, ['…', `[${more} more keys]`]] : out);
  } catch {
    return MARK.unreadable;
  } finally {
    walk.ancestors.delete(value);
  }
}
