/** Compile-time checks that a zod schema and the spec type it implements agree (see the schema modules). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Assert<T extends true> = T;
