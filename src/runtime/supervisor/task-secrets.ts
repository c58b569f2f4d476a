/** How a task's log lines are masked: line by line, and in the raw log file it wrote. */
export interface SecretRedaction {
  /** The line with every form of the task's secrets replaced by `***`. */
  mask(line: string): string;
  /** The exact texts (every encoding of every value) to blank out in the raw log files, longest first. */
  readonly literals: readonly string[];
}

/**
 * Where a task's secrets come from: the control plane fills it from its secret store (the
 * runtime stores names and versions only, never values).
 */
export interface TaskSecrets {
  /**
   * The value of each pinned secret, by name. Throws (naming the secret and version, never a
   * value) when one is gone: the task then fails to start.
   */
  resolve(pins: Readonly<Record<string, number>>): Readonly<Record<string, string>>;
  /** A masker for these values (called once per task set and version pins, then reused). */
  redaction(values: readonly string[]): SecretRedaction;
}
