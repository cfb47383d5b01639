import { healthHandler } from '@ormai/core';
import { agentApp } from '@/lib/agent-app';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Version, policy hash, audit sink, budget store and database: 200 while calls can be answered, else 503. */
async function health(request: Request): Promise<Response> {
  try {
    return await healthHandler((await agentApp()).ormai)(request);
  } catch (error) {
    console.error('health: the app could not start', error);
    return Response.json({ status: 'down' }, { status: 503, headers: { 'cache-control': 'no-store' } });
  }
}

export { health as GET, health as HEAD };
