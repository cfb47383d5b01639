/** Terminal rendering of one agent step: the calls, OrmAI's decision on each, the (already redacted) results. */
interface StepView {
  text: string;
  toolCalls: Array<{ toolCallId: string; toolName: string; input: unknown }>;
  toolResults: Array<{ toolCallId: string; output: unknown }>;
}

const color = (code: number) => (text: string) => (process.stdout.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);
const green = color(32);
const red = color(31);
const dim = color(2);
const bold = color(1);

function summarize(output: unknown): string {
  const data = output as { rows?: unknown[]; row?: unknown; value?: unknown; models?: Array<{ name: string }>; groups?: unknown[] };
  if (data.models) return `models ${data.models.map((m) => m.name).join(', ')}`;
  if (data.rows) return `${data.rows.length} row(s)${data.rows.length ? `, first: ${JSON.stringify(data.rows[0])}` : ''}`;
  if (data.row) return JSON.stringify(data.row);
  if (data.groups) return JSON.stringify(data.groups);
  return JSON.stringify(data);
}

export function printStep(step: StepView, index: number): void {
  console.log(bold(`\nStep ${index + 1}`));
  if (step.text.trim()) console.log(dim(`  model: ${step.text.trim().replace(/\n/g, '\n         ')}`));
  for (const call of step.toolCalls) {
    console.log(`  → ${call.toolName} ${JSON.stringify(call.input)}`);
    const output = step.toolResults.find((r) => r.toolCallId === call.toolCallId)?.output as { error?: { code: string; message: string; suggestion: string } };
    if (output?.error) {
      console.log(red(`    refused ${output.error.code}: ${output.error.message}`));
      console.log(dim(`    suggestion: ${output.error.suggestion}`));
    } else {
      console.log(green(`    allowed: ${summarize(output).slice(0, 300)}`));
    }
  }
}
