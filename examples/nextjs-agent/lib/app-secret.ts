import { createHmac, randomBytes } from 'node:crypto';

const GENERATED = Symbol.for('ormai.nextjs-agent.generated-secret');

/**
 * The one secret of the app (`ORMAI_SECRET`): OrmAI keys cursors, previews and audit HMACs with it, and
 * the app derives its session and tool-approval keys from it. Without it a local run gets a random one
 * per process (sessions end when the server restarts); on Vercel it is required, since every instance
 * must verify what another one signed.
 */
export function appSecret(): string {
  const configured = process.env.ORMAI_SECRET;
  if (configured) return configured;
  if (process.env.VERCEL) throw new Error('ORMAI_SECRET is not set: add it to the project environment (openssl rand -hex 32)');
  const holder = globalThis as { [GENERATED]?: string };
  holder[GENERATED] ??= randomBytes(32).toString('hex');
  return holder[GENERATED];
}

/** A key for one purpose, derived from the app secret: a leaked session key says nothing about the others. */
export const derivedKey = (purpose: string): Buffer => createHmac('sha256', appSecret()).update(`ormai-nextjs-agent:${purpose}`).digest();
