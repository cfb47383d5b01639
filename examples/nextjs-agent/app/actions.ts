'use server';

import { randomUUID } from 'node:crypto';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { demoUser } from '@/lib/demo-users';
import { sealSession, SESSION_TTL_SECONDS } from '@/lib/session';
import { SESSION_COOKIE } from '@/lib/session-cookie';

/** The demo's sign-in: pick a person, get a fresh signed session (a new session id every time). */
export async function signIn(form: FormData): Promise<never> {
  const user = demoUser(String(form.get('userId')));
  if (!user) redirect('/sign-in');
  const exp = Math.floor(Date.now() / 1000) + SESSION_TTL_SECONDS;
  const https = (await headers()).get('x-forwarded-proto') === 'https';
  (await cookies()).set(SESSION_COOKIE, sealSession({ sid: randomUUID(), uid: user.id, exp }), {
    httpOnly: true,
    sameSite: 'lax',
    secure: https,
    path: '/',
    maxAge: SESSION_TTL_SECONDS,
  });
  redirect('/');
}

export async function signOut(): Promise<never> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect('/sign-in');
}
