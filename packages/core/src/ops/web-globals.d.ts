// The Fetch API's Request and Response, as far as core uses them. Present on Node >= 18, edge runtimes,
// Deno, Bun and browsers; core compiles without DOM or Node typings (see ../globals.d.ts).
interface Request {
  readonly method: string;
}
interface Response {
  readonly status: number;
}
declare var Response: {
  prototype: Response;
  new (body?: string | null, init?: { status?: number; headers?: Record<string, string> }): Response;
};
