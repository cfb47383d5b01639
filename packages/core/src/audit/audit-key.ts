import { keyFromSecret } from '../crypto.js';

/** The key that signs chain checkpoints (retention), derived from the instance secret like OrmAI's other keys. */
export const auditKeyFromSecret = (secret: string): Uint8Array => keyFromSecret(secret, 'audit-checkpoint');
