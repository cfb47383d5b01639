/**
 * The shape of every refusal the UI shows, OrmAI's tool errors and the app's own HTTP errors alike
 * (a 401, a 429 from the rate limit, a forged approval): what happened, and what to do about it.
 */
export interface StructuredError {
  code: string;
  message: string;
  retryable: boolean;
  suggestion: string;
  details: Record<string, unknown>;
}

const isStructuredError = (value: unknown): value is StructuredError => {
  const error = value as Partial<StructuredError> | null;
  return typeof error?.code === 'string' && typeof error.message === 'string' && typeof error.suggestion === 'string';
};

/** The `{ error }` inside a tool output, an HTTP body or an error text; null when there is none. */
export function structuredErrorOf(value: unknown): StructuredError | null {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  return isStructuredError(error) ? error : null;
}

export const errorBody = (error: Omit<StructuredError, 'details'> & { details?: Record<string, unknown> }) => ({ error: { details: {}, ...error } });

export function errorResponse(status: number, error: Omit<StructuredError, 'details'> & { details?: Record<string, unknown> }): Response {
  return Response.json(errorBody(error), { status, headers: { 'cache-control': 'no-store' } });
}

export const SIGNED_OUT = {
  code: 'signed_out',
  message: 'You are not signed in, or your session has expired.',
  retryable: false,
  suggestion: 'Sign in again from the sign-in page.',
} as const;
