import type { ApprovalRule, Budgets, FieldRule, Quotas } from '@ormai/core';
import { code, count, duration, list, mdTable } from './markdown.js';
import { READ_TOOLS, type FieldView, type ModelView, type PolicyView } from './policy-view.js';

const SEES: Record<FieldRule, string> = {
  allow: 'in clear',
  deny: 'never (denied)',
  email: 'masked (email: j***@acme.test)',
  last4: 'masked (last 4 characters)',
  full: 'masked (fully redacted)',
  hash: 'masked (keyed hash)',
  sanitize: 'sanitized (free text, personal data and secrets scrubbed)',
};

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

function budgetRows(budgets: Budgets): Array<[string, string]> {
  return [
    ['rows per result (maxRows)', count(budgets.maxRows)],
    ['rows scanned, estimated before running (maxScanRows)', count(budgets.maxScanRows)],
    ['statement timeout (statementTimeoutMs)', duration(budgets.statementTimeoutMs)],
    ['include depth (maxJoinDepth)', String(budgets.maxJoinDepth)],
  ];
}

function quotaSection(quotas: Quotas | null): string[] {
  if (!quotas) return ['No per-tenant quotas: tool calls, rows and writes are limited only by the budgets and write rate limits.'];
  const rows: Array<[string, number | undefined]> = [
    ['tool calls per minute', quotas.toolCallsPerMinute], ['rows returned per hour', quotas.rowsPerHour], ['rows returned per day', quotas.rowsPerDay], ['write calls per day', quotas.writesPerDay],
  ];
  return [
    mdTable(['quota (per tenant)', 'limit'], rows.map(([name, limit]) => [name, limit === undefined ? 'not limited' : count(limit)])),
    '',
    quotas.onStoreFailure === 'fail_closed'
      ? 'When the budget store cannot answer, reads are refused (`fail_closed`).'
      : 'When the budget store cannot answer, reads run unmetered (`continue`); writes are refused either way.',
  ];
}

function fieldsSection(model: ModelView): string[] {
  if (!model.fields) {
    const stated = Object.entries(model.statedFields);
    return [
      `Fields not named below follow the policy's deny and mask globs, else \`${model.defaultField}\` (exported without a schema: only the stated rules are listed).`,
      '',
      stated.length ? mdTable(['field', 'the agent sees it'], stated.map(([name, rule]) => [name, SEES[rule]])) : 'No field rules stated.',
    ];
  }
  const tenant = (f: FieldView) => (f.name === model.tenantField ? 'never (tenant field)' : SEES[f.rule]);
  return [
    mdTable(
      ['field', 'type', 'the agent sees it', 'filter / sort', 'writable'],
      model.fields.map((f) => [f.name, f.type, tenant(f), f.filterable ? (f.indexed ? 'yes (indexed)' : 'yes') : 'no', yesNo(f.writable)]),
    ),
  ];
}

const trigger = (rule: ApprovalRule) =>
  [rule.fieldsChanged ? `changes ${list(rule.fieldsChanged)}` : '', rule.when ? `new values match ${code(JSON.stringify(rule.when))}` : ''].filter(Boolean).join(' and ') || 'every such write';

function writeSection(model: ModelView): string[] {
  const write = model.write;
  if (!write || !write.operations.length) return ['The agent cannot change this model.'];
  return [
    `The agent may ${write.operations.map((op) => (op === 'delete' && write.softDelete ? 'soft delete' : op.replace('_', ' '))).join(', ')}, setting only ${list(write.writableFields)}.`,
    '',
    mdTable(['write gate', 'setting'], [
      ['a reason on every change', write.requireReason ? 'required' : 'NOT required'],
      ['dry-run preview first when more rows than', count(write.dryRunAbove)],
      ['rows one write may change at most', count(write.maxAffectedRows)],
      ['writes per minute', count(write.maxWritesPerMinute)],
    ]),
    '',
    write.approvals.length
      ? mdTable(['approval rule', 'operations', 'when the write', 'approver roles', 'SLA'], write.approvals.map((rule) => [rule.name, rule.operations.join(', '), trigger(rule), rule.approverRoles.join(', '), duration(rule.slaMs)]))
      : 'No approval rules: allowed writes run without a person deciding.',
  ];
}

function modelSection(model: ModelView): string[] {
  const perTool = READ_TOOLS.map((tool) => {
    const b = model.budgets[tool];
    return [tool, count(b.maxRows), count(b.maxScanRows), duration(b.statementTimeoutMs), String(b.maxJoinDepth)];
  });
  return [
    `### ${model.name}`,
    '',
    model.tenantField ? `Tenant-scoped on ${code(model.tenantField)}: every read and write carries the caller's tenant.` : 'Tenant-free (shared reference data): every tenant sees the same rows.',
    '',
    ...fieldsSection(model),
    '',
    model.relations.length
      ? `Includes (joins): ${model.relations.map((r) => (r.target ? `${code(r.name)} → ${r.target} (${r.kind})` : code(r.name))).join(', ')}.`
      : 'No includes (joins).',
    '',
    mdTable(['tool', 'maxRows', 'maxScanRows', 'statement timeout', 'maxJoinDepth'], perTool),
    '',
    '#### Writes',
    '',
    ...writeSection(model),
    '',
  ];
}

/** Which generic tools each model answers to, and the domain tools offered next to them. */
function toolsSection(view: PolicyView): string[] {
  const domain = view.domainTools;
  return [
    '## Tools',
    '',
    `Generic tools offered: ${view.tools.length ? list(view.tools) : 'none (domain tools only)'}.`,
    '',
    mdTable(['model', 'generic tools that can touch it'], view.models.map((m) => [m.name, m.tools.length ? m.tools.join(', ') : 'none: domain tools only'])),
    '',
    domain === null
      ? 'Domain tools: not listed (exported from a policy file; they are defined in the application).'
      : domain.length
        ? mdTable(['domain tool', 'access', 'description'], domain.map((t) => [t.name, t.access, t.description]))
        : 'Domain tools: none offered.',
    '',
  ];
}

/** The report for auditors: the same content as the JSON export, in words and tables. */
export function policyMarkdown(view: PolicyView): string {
  const scope = view.tenantScope === false ? 'none by default' : `${code(view.tenantScope.field)} (from the server's run context, never from the model)`;
  const masks = Object.entries(view.maskFields).map(([glob, strategy]) => `${code(glob)} → ${strategy}`);
  return [
    '# OrmAI policy report',
    '',
    `Policy hash: ${code(view.policyHash)}`,
    '',
    view.basis === 'schema'
      ? 'Bound to the database schema: every field below is listed with the rule the tools enforce.'
      : 'Exported from the policy file alone (no database): the rules the policy states, with core defaults.',
    '',
    '## Summary',
    '',
    mdTable(['setting', 'value'], [
      ['profile', view.profile],
      ['tenant scope', scope],
      ['writes', view.readOnly ? 'none (read-only policy)' : 'where a model allows them'],
      ['a reason on every write', view.requireReason ? 'required' : 'NOT required'],
      ['models', String(view.models.length)],
    ]),
    '',
    `Always denied (field and JSON key names): ${list(view.denyFields)}.`,
    '',
    `Masked: ${masks.length ? masks.join(', ') : 'nothing by glob'}.`,
    '',
    '## Budgets',
    '',
    mdTable(['budget', 'default'], budgetRows(view.budgets)),
    '',
    ...(Object.keys(view.toolBudgets).length ? [`Per-tool overrides: ${Object.entries(view.toolBudgets).map(([tool, b]) => `${code(tool)} ${code(JSON.stringify(b))}`).join(', ')}.`, ''] : []),
    '## Quotas',
    '',
    ...quotaSection(view.quotas),
    '',
    '## Audit',
    '',
    mdTable(['audit setting', 'value'], [
      ['when the audit sink cannot write', view.audit.onFailure === 'fail_closed' ? 'calls are refused (fail_closed)' : 'calls continue unaudited (continue)'],
      ['retention: hot / warm / cold', `${view.audit.retention.hotDays} / ${view.audit.retention.warmDays} / ${view.audit.retention.coldDays} days`],
      ['data subjects', Object.keys(view.audit.subjects).join(', ') || 'none'],
    ]),
    '',
    ...toolsSection(view),
    '## Models',
    '',
    ...view.models.flatMap(modelSection),
  ].join('\n');
}
