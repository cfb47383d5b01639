import { createHmac, randomBytes } from 'node:crypto';

const GENERATED = Symbol.for('ormai.nextjs-agent.generated-secret');

/** `openssl rand -hex 32` gives 64; a short secret can be guessed offline from a single signed cookie. */
const MIN_SECRET_LENGTH = 32;

/**
 * The one secret of the app (`ORMAI_SECRET`): OrmAI keys cursors, previews and audit HMACs with it, and
 * the app derives its session and tool-approval keys from it. Without it a local run gets a random one
 * per process (sessions end when the server restarts); on Vercel it is required, since every instance
 * must verify what another one signed. A configured secret shorter than 32 characters is refused.
 */
export function appSecret(): string {
  const configured = process.env.ORMAI_SECRET;
  if (configured && configured.length < MIN_SECRET_LENGTH) {
    throw new Error(`ORMAI_SECRET is too short (${configured.length} characters, at least ${MIN_SECRET_LENGTH}): use openssl rand -hex 32`);
  }
  if (configured) return configured;
  if (process.env.VERCEL) throw new Error('ORMAI_SECRET is not set: add it to the project environment (openssl rand -hex 32)');
  const holder = globalThis as { [GENERATED]?: string };
  holder[GENERATED] ??= randomBytes(32).toString('hex');
  return holder[GENERATED];
}

/** A key for one purpose, derived from the app secret: a leaked session key says nothing about the others. */
export const derivedKey = (purpose: string): Buffer => createHmac('sha256', appSecret()).update(`ormai-nextjs-agent:${purpose}`).digest();
