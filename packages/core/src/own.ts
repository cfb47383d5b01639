/** Record lookup by an untrusted key: `constructor` or `__proto__` must not resolve to Object.prototype members. */
export const own = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;
