/** Documented exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** Stale document, a failed check, or warnings under --strict. */
  failed: 1,
  /** Usage or configuration error, or an output that cannot be written safely. */
  usage: 2,
  /** Stopped by the person at the keyboard (Ctrl-C at a question): the shell's code for SIGINT. */
  interrupted: 130,
} as const;

/** An error meant for the user: its message is printed as is, and it carries an exit code. */
export class ArchdocError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'ArchdocError';
  }
}
