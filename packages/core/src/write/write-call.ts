import { errors } from '../errors.js';
import { expectedValue, fitsType, normalizeValue } from '../authorize/values.js';
import type { BoundModel } from '../spec/bound-policy.js';
import type { BoundWrite } from '../spec/bound-policy.js';
import type { WriteOperation } from '../spec/policy.js';
import type { Scalar } from '../spec/plan.js';
import type { FilterInput } from '../spec/tool-inputs.js';
import { hashArgs } from './preview-token.js';
import { errorWording } from '../error-wording.js';

type WriteToolName = 'db_create' | 'db_update' | 'db_delete' | 'db_bulk_update';

export const TOOL_OF: Record<WriteOperation, WriteToolName> = {
  create: 'db_create',
  update: 'db_update',
  delete: 'db_delete',
  bulk_update: 'db_bulk_update',
};

/** One write, as the agent asked for it, after its values were checked against the policy. */
export interface WriteCall {
  operation: WriteOperation;
  model: BoundModel;
  write: BoundWrite;
  id?: Scalar;
  where?: FilterInput;
  values: Record<string, Scalar>;
  reason: string;
  previewId?: string;
  /** Hash of what the write does (operation, model, id/where, values): what previews and approvals bind to. */
  argsHash: string;
}

export function requireWritable(model: BoundModel, operation: WriteOperation, writableModels: string[]): BoundWrite {
  if (!model.write?.operations.includes(operation)) throw errors.writeNotAllowed(model.name, operation, writableModels);
  return model.write;
}

/**
 * "fix", "x" or "because" explain nothing: a reason must be a few words an auditor can read. Letters are
 * counted, not code points, so zero-width characters, word joiners or ". . . ." do not pass for words.
 */
export function checkReason(tool: string, write: BoundWrite, reason: string | undefined): string {
  const text = reason?.trim() ?? '';
  // Control characters (NUL...) have no place in a reason, which audit records and approvals keep.
  if (/[^\P{Cc}\t\n\r]/u.test(text)) throw errors.reasonRequired(tool);
  if (!write.requireReason) return text;
  // Default-ignorable characters (zero-width spaces, word joiners, Hangul fillers) render as nothing.
  const visible = text.replace(/\p{Default_Ignorable_Code_Point}/gu, '');
  const words = visible.match(/\p{L}[\p{L}\p{M}'’-]*\p{L}/gu) ?? [];
  const letters = words.join('').match(/\p{L}/gu)?.length ?? 0;
  // Scripts written without spaces between words make one long "word".
  const enoughWords = words.length >= 2 || /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(visible);
  if (!enoughWords || letters < 8) throw errors.reasonRequired(tool);
  return text;
}

export function checkValues(model: BoundModel, write: BoundWrite, operation: WriteOperation, values: Record<string, Scalar> = {}) {
  const names = Object.keys(values);
  const normalized: Record<string, Scalar> = {};
  if (operation !== 'delete' && names.length === 0) {
    throw errors.invalidInput(errorWording.invalidInput.noValues(write.writableFields), { model: model.name });
  }
  for (const name of names) {
    if (!write.writableFields.includes(name)) throw errors.fieldNotAllowed(model.name, name, 'writes', write.writableFields);
    const field = model.fields[name]!;
    const value = values[name]!;
    const fits = value === null ? field.allowNull : fitsType(field, value);
    if (!fits) {
      throw errors.invalidInput(errorWording.invalidInput.writeValue(model.name, name, expectedValue(field), field.allowNull), { model: model.name, field: name });
    }
    normalized[name] = value === null ? null : normalizeValue(field.type, value);
  }
  return normalized;
}

export function argsHashOf(call: Pick<WriteCall, 'operation' | 'id' | 'where' | 'values'> & { model: string }): string {
  return hashArgs({ operation: call.operation, model: call.model, id: call.id ?? null, where: call.where ?? null, values: call.values });
}
