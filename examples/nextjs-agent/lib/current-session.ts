import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import type { TenantRunContext } from '@ormai/core';
import { demoUser, type DemoUser } from './demo-users';
import { openSession } from './session';
import { SESSION_COOKIE } from './session-cookie';

export interface CurrentSession {
  user: DemoUser;
  sessionId: string;
}

/** The signed-in user, from the signed cookie only: never from a request body or the prompt. */
export async function currentSession(): Promise<CurrentSession | null> {
  const claims = openSession((await cookies()).get(SESSION_COOKIE)?.value);
  const user = claims ? demoUser(claims.uid) : undefined;
  return claims && user ? { user, sessionId: claims.sid } : null;
}

export async function requireSession(): Promise<CurrentSession> {
  return (await currentSession()) ?? redirect('/sign-in');
}

/** OrmAI's run context for this session: the tenant every tool call is scoped to. */
export function runContextOf({ user, sessionId }: CurrentSession, requestId?: string): TenantRunContext {
  return { tenantId: user.tenantId, userId: user.id, roles: user.roles, sessionId, ...(requestId ? { requestId } : {}) };
}
