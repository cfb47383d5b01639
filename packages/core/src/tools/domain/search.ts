import { z } from 'zod';
import { projectionFields } from '../../authorize/select.js';
import { fitsType } from '../../authorize/values.js';
import { errorWording } from '../../error-wording.js';
import { errors } from '../../errors.js';
import { projectRow } from '../../redact.js';
import { scrubText } from '../../scrub-text.js';
import type { Row } from '../../spec/adapter.js';
import type { BoundModel } from '../../spec/bound-policy.js';
import type { SearchInput } from '../../spec/domain-tools.js';
import type { Scalar } from '../../spec/plan.js';
import type { QueryResult } from '../../spec/tools.js';
import { identifier, queryInput } from '../input-schemas.js';
import { planQuery, type QueryPages } from '../query.js';
import { requireModel, type ToolEnv } from '../tool-env.js';

export const searchInput = queryInput.extend({ field: identifier, contains: z.string().min(1).max(200) });

/** Text fields a search may look into: read in clear or sanitized. Never a denied, masked or tenant field. */
const searchable = (model: BoundModel): string[] =>
  model.readable.filter((name) => model.fields[name]!.type === 'string' && ['allow', 'sanitize'].includes(model.fields[name]!.rule));

/** Case folded as every dialect folds it (SQLite's LIKE: ASCII letters only): a row kept this way also matched in the database by what it shows. */
const asciiLower = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/**
 * `ctx.db.search`: a query whose rows must contain `contains` in `field`, so a domain tool can search what
 * the generic tools may not filter (a sanitized field). The database matches the raw text; a row whose text
 * is shown with something removed (by the field's sanitizer or the scrub) is kept only when the text as
 * shown still holds the term, so a search answers what the agent can read: no term, whole or in pieces
 * (`jane.doe@`, `4242 4242`, a name a custom sanitizer removes), tells which rows hide it. Text the scrub
 * would remove is refused outright. The rows come back as any read's.
 */
export function runSearch(input: SearchInput, env: ToolEnv): Promise<QueryResult> {
  const { field, contains, ...query } = input;
  const model = requireModel(env, query.model);
  const fields = searchable(model);
  if (!fields.includes(field)) throw errors.fieldNotAllowed(model.name, field, 'search', fields);
  if (!fitsType(model.fields[field]!, contains) || scrubText(contains) !== contains) {
    throw errors.invalidInput(errorWording.invalidInput.searchTerm(), { model: model.name, field });
  }
  const pages = planQuery(query, env, { kind: 'cmp', field, op: 'contains', value: contains }, [field]);
  const projection = { fields: projectionFields(model, [field]), includes: [] };
  const term = asciiLower(contains);
  return keptPages(pages, env, (row) => {
    const shown = projectRow(row, projection, env.hashKey)[field];
    // Text shown whole matched in the database; text with something hidden must still hold the term as shown.
    return shown === row[field] || (typeof shown === 'string' && asciiLower(shown).includes(term));
  });
}

/**
 * Reads on past rows that `keep` drops until a page and one more row are kept, or the rows run out, so
 * the page and its cursor depend only on the rows kept. Reading more rows than the scan budget allows
 * is refused, as a scan that large would be.
 */
async function keptPages(pages: QueryPages, env: ToolEnv, keep: (row: Row) => boolean): Promise<QueryResult> {
  const { maxRows, maxScanRows } = env.bound.budgetsFor(pages.model, 'db_query');
  const kept: Row[] = [];
  let after: Scalar[] | undefined;
  let count = pages.limit + 1;
  for (let read = 0; ; read += count, count = maxRows + 1) {
    if (read > 0 && read + count > maxScanRows) {
      throw errors.scanBudgetExceeded({ model: pages.model.name, maxScanRows, indexedFields: pages.model.indexedFilterable });
    }
    const rows = await pages.read(after, count);
    for (const row of rows) {
      if (keep(row)) kept.push(row);
      if (kept.length > pages.limit) return pages.answer(kept.slice(0, pages.limit), true);
    }
    if (rows.length < count) return pages.answer(kept, false);
    after = pages.positionOf(rows[rows.length - 1]!);
  }
}
