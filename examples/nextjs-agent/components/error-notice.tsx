import type { StructuredError } from '@/lib/structured-error';

/** A refusal as the user should read it: the code, what happened, and what to do next. */
export function ErrorNotice({ error, testId = 'error-notice' }: { error: StructuredError; testId?: string }) {
  return (
    <div className="error-notice" data-testid={testId} data-code={error.code}>
      <code data-testid="error-code">{error.code}</code> {error.message}
      <p className="suggestion" data-testid="error-suggestion">
        {error.suggestion}
      </p>
    </div>
  );
}
