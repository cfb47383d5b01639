import { canonicalJson } from '../policy/canonical-json.js';
import { sha256Hex } from '../crypto.js';
import { signToken, verifyToken } from '../signed-token.js';
import type { Row } from '../spec/adapter.js';

/**
 * A preview id binds a dry run to the exact arguments (hash), the exact rows it matched as they were
 * (hash of their content), a short validity window, and the tenant and principal that asked for it.
 * Any change to those rows, including the write it previewed, makes it stale: it cannot be replayed.
 */
interface PreviewPayload {
  a: string;
  k: string;
  e: number;
}

export const PREVIEW_TTL_MS = 10 * 60_000;

export const hashArgs = (args: Record<string, unknown>) => sha256Hex(canonicalJson(args));

/** Content hash of rows, independent of their order. */
export const hashRows = (rows: Row[]) => sha256Hex(canonicalJson(rows.map((r) => canonicalJson(r)).sort()));

const context = (tenantId: string | null, userId: string) => `preview|${JSON.stringify([tenantId, userId])}`;

export function issuePreviewId(key: Uint8Array, who: { tenantId: string | null; userId: string }, argsHash: string, rowsHash: string, expiresAt: number) {
  return signToken(key, context(who.tenantId, who.userId), { a: argsHash, k: rowsHash, e: expiresAt } satisfies PreviewPayload);
}

/** True when `previewId` was issued to this principal for these arguments and these rows, and has not expired. */
export function previewMatches(
  key: Uint8Array,
  who: { tenantId: string | null; userId: string },
  previewId: string,
  expected: { argsHash: string; rowsHash: string; now: number },
): boolean {
  const payload = verifyToken(key, context(who.tenantId, who.userId), previewId) as PreviewPayload | undefined;
  return Boolean(payload && payload.a === expected.argsHash && payload.k === expected.rowsHash && payload.e > expected.now);
}
