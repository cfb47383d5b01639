/** A domain tool that cannot be offered: a bad or reserved name, a name already taken, a missing part. */
export class ToolDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolDefinitionError';
  }
}
