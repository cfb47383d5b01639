import { scriptedModel, type ScriptedTurn, type ScriptView, type ToolResultView } from '@ormai/ai-sdk/testing';

/**
 * The offline stand-in for a real model, keyed on the user's latest message so a chat (and the browser
 * test) always plays the same way: a read of open tickets, a search of ticket notes (the domain tool), a question
 * about another tenant, a refund
 * (large ones wait for finance), a status change. Each answer reads the tool results it was sent.
 */
interface Turn {
  /** The user's latest message. */
  question: string;
  /** Model calls since that message: 0 decides the tool call, 1 answers from its result. */
  step: number;
  results: ToolResultView[];
}

type ToolOutput = {
  type?: string;
  rows?: unknown[];
  row?: Record<string, unknown>;
  tickets?: unknown[];
  error?: { code: string; message: string; details?: { rule?: string; approvalId?: string } };
};

interface Script {
  matches: RegExp;
  play(turn: Turn, match: RegExpExecArray): ScriptedTurn;
}

const outputOf = (turn: Turn) => (turn.results[0]?.output ?? {}) as ToolOutput;

function writeOutcome(turn: Turn, done: string): string {
  const output = outputOf(turn);
  if (output.type === 'execution-denied') return 'Understood: I left the order unchanged.';
  const error = output.error;
  if (error?.code === 'approval_required') {
    return `This needs a finance approval first (rule ${error.details?.rule}): it is queued as request ${error.details?.approvalId} on the approvals page.`;
  }
  if (error) return `The change was refused (${error.code}): ${error.message}`;
  return done;
}

const SCRIPTS: Script[] = [
  {
    // A model asked to compare with another company tries to filter on the tenant: OrmAI refuses it.
    matches: /globex/i,
    play: (turn) =>
      turn.step === 0
        ? { toolCalls: [{ toolName: 'db_aggregate', input: { model: 'Order', op: 'count', where: { field: 'tenantId', op: 'eq', value: 'globex' } } }] }
        : { text: `I cannot look at another company's data: ${outputOf(turn).error?.message ?? 'the request was refused.'}` },
  },
  {
    matches: /open (?:support )?tickets/i,
    play: (turn) =>
      turn.step === 0
        ? {
            text: 'Let me look up the open tickets.',
            toolCalls: [
              {
                toolName: 'db_query',
                input: {
                  model: 'SupportTicket',
                  select: ['id', 'subject', 'status', 'openedAt'],
                  where: { field: 'status', op: 'eq', value: 'open' },
                  include: [{ relation: 'customer', select: ['name', 'email', 'phone'] }],
                  limit: 10,
                },
              },
            ],
          }
        : { text: `I found ${outputOf(turn).rows?.length ?? 0} open tickets. Customer emails and phone numbers stay masked.` },
  },
  {
    // Ticket notes are sanitized free text: no generic tool may filter on them, the domain tool searches them.
    matches: /tickets (?:asking for|about|mentioning) (?:an? )?([a-z ]{3,40}?)\??$/i,
    play: (turn, [, words]) =>
      turn.step === 0
        ? { toolCalls: [{ toolName: 'search_tickets', input: { text: words!.trim(), status: 'open' } }] }
        : { text: `${outputOf(turn).tickets?.length ?? 0} open ticket(s) mention "${words!.trim()}"; their notes are shown with personal data removed.` },
  },
  {
    matches: /refund \$?(\d+(?:\.\d{1,2})?) (?:on|for) order #?(\d+)/i,
    play: (turn, [, amount, order]) =>
      turn.step === 0
        ? {
            toolCalls: [
              {
                toolName: 'db_update',
                input: { model: 'Order', id: Number(order), values: { refundedCents: Math.round(Number(amount) * 100) }, reason: `Customer asked for a refund of $${amount}` },
              },
            ],
          }
        : { text: writeOutcome(turn, `Done: order ${order} now shows a refund of $${amount}.`) },
  },
  {
    matches: /mark order #?(\d+) (?:as )?(pending|paid|shipped|delivered)/i,
    play: (turn, [, order, status]) =>
      turn.step === 0
        ? { toolCalls: [{ toolName: 'db_update', input: { model: 'Order', id: Number(order), values: { status: status!.toLowerCase() }, reason: `Customer confirmed the order is ${status}` } }] }
        : { text: writeOutcome(turn, `Done: order ${order} is now ${status}.`) },
  },
];

const HELP =
  'I can list open support tickets, find tickets asking for a callback, record a refund ("Refund $20 on order 4") or change an order\u2019s status ("Mark order 4 as shipped"). ' +
  'Refunds over $50 wait for finance.';

function turnOf(view: ScriptView): Turn {
  const lastUser = view.prompt.findLastIndex((message) => message.role === 'user');
  const message = view.prompt[lastUser];
  const question = message?.role === 'user' ? message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ') : '';
  const step = view.prompt.slice(lastUser + 1).filter((m) => m.role === 'assistant').length;
  return { question, step, results: view.lastToolResults };
}

export function scriptedSupportChat() {
  return scriptedModel((view) => {
    const turn = turnOf(view);
    for (const script of SCRIPTS) {
      const match = script.matches.exec(turn.question);
      if (match && turn.step < 2) return script.play(turn, match);
    }
    return { text: HELP };
  });
}
