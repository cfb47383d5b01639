import { NextResponse, type NextRequest } from 'next/server';
import { chatRateLimit } from '@/lib/chat-rate-limit';

/**
 * Runs on the edge, in front of the routes that reach the model and the database: a flood is refused
 * with a 429 close to the client, before a Node.js function starts. (Next.js 16 names this file
 * convention `proxy`, but only `middleware` runs on the edge runtime.)
 */
export const config = { matcher: ['/api/chat', '/api/approvals'] };

let limit: ReturnType<typeof chatRateLimit> | undefined;

export async function middleware(request: NextRequest): Promise<Response> {
  if (request.method !== 'POST') return NextResponse.next();
  limit ??= chatRateLimit();
  return (await limit(request)) ?? NextResponse.next();
}
