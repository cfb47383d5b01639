import { z } from 'zod';
import { WRITE_OPERATIONS } from '../policy/policy-schema.js';
import { boundedString, toolInput, withoutKeywords } from './compact-schema.js';
import { filterInput, identifier, rowId, scalar } from './input-schemas.js';
import type { ApprovalStatusInput, BulkUpdateInput, CreateInput, DeleteInput, PreviewWriteInput, UpdateInput } from '../spec/tool-inputs.js';
import type { Assert, Same } from '../spec/type-assert.js';

/** Zod schemas for the write tools. `reason` is optional here so a missing one gets `reason_required`, not a parse error. */
// Object keys are strings in JSON anyway: the key check stays, its `propertyNames` line goes.
const values = withoutKeywords(z.record(identifier, scalar), 'propertyNames').describe('New values by field name');
const reason = boundedString(1_000).optional().describe('Why the change is made (required)');
const previewId = boundedString(2_000).optional().describe('From db_preview_write with the same arguments; needed for large changes');

export const createInput = toolInput({ model: identifier, values, reason });
export const updateInput = toolInput({ model: identifier, id: rowId, values, reason });
export const deleteInput = toolInput({ model: identifier, id: rowId, reason });
export const bulkUpdateInput = toolInput({ model: identifier, where: filterInput, values, reason, previewId });
export const previewWriteInput = toolInput({
  operation: z.enum(WRITE_OPERATIONS),
  model: identifier,
  id: rowId.optional(),
  where: filterInput.optional(),
  values: values.optional(),
});
export const approvalStatusInput = toolInput({ approvalId: boundedString(100) });

// The schemas implement the input types of spec/tool-inputs.ts: these fail to compile if they drift apart.
type SchemaChecks = [
  Assert<Same<z.input<typeof createInput>, CreateInput>>,
  Assert<Same<z.input<typeof updateInput>, UpdateInput>>,
  Assert<Same<z.input<typeof deleteInput>, DeleteInput>>,
  Assert<Same<z.input<typeof bulkUpdateInput>, BulkUpdateInput>>,
  Assert<Same<z.input<typeof previewWriteInput>, PreviewWriteInput>>,
  Assert<Same<z.input<typeof approvalStatusInput>, ApprovalStatusInput>>,
  Assert<Same<z.output<typeof createInput>, CreateInput>>,
  Assert<Same<z.output<typeof bulkUpdateInput>, BulkUpdateInput>>,
  Assert<Same<z.output<typeof previewWriteInput>, PreviewWriteInput>>,
];
