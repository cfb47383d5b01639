/** `createAdminOrmAI` was given options that cannot make a separate, audited admin channel. */
export class AdminConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminConfigError';
  }
}
