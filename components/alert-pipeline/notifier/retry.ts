/**
 * How hard the notifier tries: per-request attempts with exponential backoff and jitter,
 * Retry-After honoured, all inside one time budget per invocation. When the budget or the
 * attempts run out the alert is reported failed, the invocation fails, and Lambda's own
 * retries and then the dead-letter path take over.
 */

export interface RetryPolicy {
  /** Attempts per HTTP request, the first included. */
  maxAttempts: number;
  /** First backoff; doubles with each failed attempt. */
  baseDelayMs: number;
  /** Longest backoff (Retry-After may ask for longer, within the budget). */
  maxDelayMs: number;
  /** One HTTP exchange, response body included. */
  requestTimeoutMs: number;
  /** Everything one invocation may spend on delivery; keep it under the Lambda timeout. */
  budgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  requestTimeoutMs: 8_000,
  budgetMs: 40_000,
};

/**
 * Backoff after `failedAttempts` failures: "equal jitter", half of the exponential step
 * fixed and half random, so synchronized retries spread out without collapsing to zero.
 */
export function backoffDelayMs(policy: RetryPolicy, failedAttempts: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Statuses worth another try: throttling, timeouts and server errors. Other 4xx will not get better. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}
