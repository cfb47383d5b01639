import { z } from 'zod';
import type { RunContext } from './spec/context.js';
import type { Assert, Same } from './spec/type-assert.js';

const id = z.string().min(1).max(256);

/** Validates the run context the host application supplies per call (see spec/context.ts). */
export const runContextSchema = z.object({
  tenantId: id.optional(),
  userId: id,
  roles: z.array(id).max(100).optional(),
  sessionId: id.optional(),
  requestId: id.optional(),
  traceId: id.optional(),
});

type SchemaMatchesSpec = Assert<Same<z.infer<typeof runContextSchema>, RunContext>>;
