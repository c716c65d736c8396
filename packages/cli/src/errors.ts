/**
 * The exit codes, documented in the README: a pipeline tells "retry later" from "fix the call".
 */
export const ExitCode = {
  /** Reported (or printed, with --dry-run). */
  Ok: 0,
  /** Not delivered: the backend could not be reached, or answered 5xx, on every attempt. */
  NotDelivered: 1,
  /** A bad command line or setting (no token, a time without an offset, not a git repository). */
  Usage: 2,
  /** The backend refused the report (4xx: bad input, a token not allowed): retrying cannot help. */
  Refused: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the command reports in one line and ends with its exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: ExitCodeValue) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) =>
  new CliError(message, ExitCode.Usage);
