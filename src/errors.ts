/**
 * An error the user can fix (bad flag, bad config, bad rule, unreadable target).
 * The CLI prints its message on one line and exits 2, without a stack trace.
 */
export class UserError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'UserError';
  }
}
