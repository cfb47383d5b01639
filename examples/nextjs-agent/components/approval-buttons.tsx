'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { structuredErrorOf, type StructuredError } from '@/lib/structured-error';
import { ErrorNotice } from './error-notice';
import { useMounted } from './use-mounted';

/** Approve or deny one request; the server decides whether this user may, and the page reloads its state. */
export function ApprovalButtons({ id }: { id: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const mounted = useMounted();
  const disabled = busy || !mounted;
  const [error, setError] = useState<StructuredError | null>(null);

  const decide = async (decision: 'approve' | 'deny') => {
    setBusy(true);
    setError(null);
    const response = await fetch('/api/approvals', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, decision }) });
    if (!response.ok) setError(structuredErrorOf(await response.text()));
    setBusy(false);
    router.refresh();
  };

  return (
    <div className="decide">
      <button type="button" data-testid="approve-request" disabled={disabled} onClick={() => void decide('approve')}>
        Approve
      </button>
      <button type="button" data-testid="deny-request" disabled={disabled} onClick={() => void decide('deny')}>
        Deny
      </button>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
