/** `createOrmAI` was given a combination of budget options that cannot work as intended. */
export class BudgetConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetConfigError';
  }
}
