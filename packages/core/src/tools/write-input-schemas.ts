import { z } from 'zod';
import { WRITE_OPERATIONS } from '../policy/policy-schema.js';
import { filterSchema, identifier, scalar } from './input-schemas.js';
import type { ApprovalStatusInput, BulkUpdateInput, CreateInput, DeleteInput, PreviewWriteInput, UpdateInput } from '../spec/tool-inputs.js';
import type { Assert, Same } from '../spec/type-assert.js';

/** Zod schemas for the write tools. `reason` is optional here so a missing one gets `reason_required`, not a parse error. */
const values = z.record(identifier, scalar).describe('New values by field name');
const reason = z.string().max(1_000).optional().describe('Why this change is made (required)');
const id = z.union([z.string().max(1_000), z.number()]);
const previewId = z.string().max(2_000).optional().describe('previewId from db_preview_write with the same arguments');

export const createInput = z.strictObject({ model: identifier, values, reason });
export const updateInput = z.strictObject({ model: identifier, id, values, reason });
export const deleteInput = z.strictObject({ model: identifier, id, reason });
export const bulkUpdateInput = z.strictObject({ model: identifier, where: filterSchema, values, reason, previewId });
export const previewWriteInput = z.strictObject({
  operation: z.enum(WRITE_OPERATIONS),
  model: identifier,
  id: id.optional(),
  where: filterSchema.optional(),
  values: values.optional(),
});
export const approvalStatusInput = z.strictObject({ approvalId: z.string().max(100) });

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
