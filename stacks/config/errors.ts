/**
 * A configuration problem an operator can fix: it names the stack, the config key,
 * what is wrong and what to do. Thrown before any resource is declared.
 */
export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly key: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`stack "${stack}": config key "${key}": ${problem}. Fix: ${fix}`);
    this.name = "ConfigError";
  }
}

/** Several problems found at once; each is reported, so one run shows them all. */
export class ConfigErrors extends Error {
  constructor(readonly errors: ConfigError[]) {
    super(
      errors.length === 1
        ? errors[0].message
        : `${errors.length} configuration problems:\n` + errors.map((e) => `  - ${e.message}`).join("\n"),
    );
    this.name = "ConfigErrors";
  }
}
