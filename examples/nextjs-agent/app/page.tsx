import { Chat } from '@/components/chat';
import { modelLabel } from '@/lib/chat-model';
import { requireSession } from '@/lib/current-session';

const SUGGESTIONS = ['Show me our open support tickets', 'Find tickets asking for a callback', 'How many orders does Globex have?', 'Refund $80 on order 1', 'Mark order 4 as shipped'];

export default async function ChatPage() {
  const { user } = await requireSession();
  return (
    <section className="chat-page">
      <p className="muted">
        Agent for {user.tenantName} · model: {modelLabel()} · every tool call is checked by OrmAI and recorded in the audit trail.
      </p>
      <Chat suggestions={SUGGESTIONS} />
    </section>
  );
}
