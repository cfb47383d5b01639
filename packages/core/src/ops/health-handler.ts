import type { HealthOptions, HealthReport } from '../spec/health.js';

const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * A Web-standard health endpoint (Next.js route, Hono, Bun, Deno, a Worker): `GET` and `HEAD` answer
 * 200 when the instance is `ok` or `degraded`, 503 when it is `down`, with the report as JSON (no
 * secrets, no tenant data). Other methods answer 405.
 */
export function healthHandler(ormai: { health(options?: HealthOptions): Promise<HealthReport> }, options: HealthOptions = {}): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { ...HEADERS, allow: 'GET, HEAD' } });
    }
    let report: HealthReport | null;
    try {
      report = await ormai.health(options);
    } catch {
      report = null; // `health()` never rejects; an object standing in for it might
    }
    const status = report && report.status !== 'down' ? 200 : 503;
    const body = request.method === 'HEAD' ? null : JSON.stringify(report ?? { status: 'down' });
    return new Response(body, { status, headers: HEADERS });
  };
}
