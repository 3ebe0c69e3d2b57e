/** Structured JSON logs, one object per line (what CloudWatch Logs Insights reads best), with secrets scrubbed. */

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function parseLogLevel(value: string | undefined): LogLevel {
  const level = (value ?? "").toLowerCase();
  return level in LEVEL_ORDER ? (level as LogLevel) : "info";
}

/**
 * Writes `{"level","timestamp","msg",...fields}` lines; below `level` nothing is written.
 * With the function's JSON log format, Lambda filters such lines by their `level` and reads
 * `timestamp` (RFC 3339); a line without a valid timestamp is treated as INFO.
 */
export function jsonLogger(
  options: { level?: LogLevel; write?: (line: string) => void; now?: () => number } = {},
): Logger {
  const threshold = LEVEL_ORDER[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const emit = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
    if (LEVEL_ORDER[level] < threshold) return;
    write(JSON.stringify({ level, timestamp: new Date(now()).toISOString(), msg: message, ...fields }));
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** Known secret strings; anything logged through `redactingLogger` has them replaced. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  add(values: string[]): void {
    for (const value of values) if (value.length > 0) this.secrets.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    return out;
  }

  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.redact(value);
    if (depth > 8 || typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.redactValue(item, depth + 1);
    return out;
  }
}

export function redactingLogger(inner: Logger, redactor: SecretRedactor): Logger {
  const wrap = (method: (message: string, fields?: LogFields) => void) => (message: string, fields?: LogFields) =>
    method(redactor.redact(message), fields === undefined ? undefined : (redactor.redactValue(fields) as LogFields));
  return {
    debug: wrap(inner.debug.bind(inner)),
    info: wrap(inner.info.bind(inner)),
    warn: wrap(inner.warn.bind(inner)),
    error: wrap(inner.error.bind(inner)),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
