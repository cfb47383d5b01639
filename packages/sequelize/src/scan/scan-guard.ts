import type { TableMeta } from '../introspect.js';
import type { ReadSession } from '../session.js';
import type { CompiledSql } from '../sql/compile-select.js';

/**
 * Throws `scan_budget_exceeded` before a statement runs when it would read more than `maxScanRows` rows
 * (pg-scan-guard.ts, sqlite-scan-guard.ts). It may also set how the session plans the statement it passes.
 */
export type ScanGuard = (session: ReadSession, statement: CompiledSql, meta: TableMeta, maxScanRows: number) => Promise<void>;
