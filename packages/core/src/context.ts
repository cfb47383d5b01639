import { z } from 'zod';

const id = z.string().min(1).max(256);

/** Who is asking, supplied by the host application per call. The tenant never comes from model input. */
export const runContextSchema = z.object({
  tenantId: id.optional(),
  userId: id,
  roles: z.array(id).max(100).optional(),
  sessionId: id.optional(),
  requestId: id.optional(),
  traceId: id.optional(),
});

export type RunContext = z.infer<typeof runContextSchema>;
