/** One HTTP request to a destination, retried per the RetryPolicy within the invocation's deadline. */
import { RetryPolicy, backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from "./retry";

export interface HttpRequest {
  method: "POST" | "PUT" | "GET";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  body: string;
}

export type SendOutcome =
  | { ok: true; response: HttpResponse; attempts: number }
  | { ok: false; error: string; attempts: number; status?: number };

/** Caps requests in flight across all destinations (loopback sinks and real APIs alike). */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface DeliveryContext {
  fetchImpl: typeof fetch;
  policy: RetryPolicy;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Epoch ms by which every attempt, wait included, must be over. */
  deadline: number;
  limiter: ConcurrencyLimiter;
}

/** Longest response body kept; destinations answer with small JSON or a word. */
const MAX_RESPONSE_CHARS = 256 * 1024;

export async function sendWithRetry(request: HttpRequest, context: DeliveryContext): Promise<SendOutcome> {
  const { policy, now } = context;
  let lastError = "not attempted";
  let lastStatus: number | undefined;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    const remaining = context.deadline - now();
    if (remaining <= 0) return { ok: false, error: `time budget exhausted (${lastError})`, attempts: attempt - 1, status: lastStatus };
    const result = await context.limiter.run(() => exchange(request, context.fetchImpl, Math.min(policy.requestTimeoutMs, remaining)));
    if ("status" in result && result.status >= 200 && result.status < 300) {
      return { ok: true, response: { status: result.status, body: result.body }, attempts: attempt };
    }
    let retryAfterMs: number | undefined;
    if ("status" in result) {
      lastStatus = result.status;
      lastError = `HTTP ${result.status}${result.body ? `: ${result.body.slice(0, 200)}` : ""}`;
      if (!isRetryableStatus(result.status)) return { ok: false, error: lastError, attempts: attempt, status: result.status };
      retryAfterMs = parseRetryAfterMs(result.retryAfter, now());
    } else {
      lastError = result.error;
    }
    if (attempt === policy.maxAttempts) break;
    const delay = Math.max(backoffDelayMs(policy, attempt, context.random), retryAfterMs ?? 0);
    if (now() + delay >= context.deadline) {
      return { ok: false, error: `${lastError}; next retry in ${delay} ms would pass the time budget`, attempts: attempt, status: lastStatus };
    }
    await context.sleep(delay);
  }
  return { ok: false, error: `${lastError} (gave up after ${policy.maxAttempts} attempts)`, attempts: policy.maxAttempts, status: lastStatus };
}

type Exchange = { status: number; body: string; retryAfter: string | null } | { error: string };

async function exchange(request: HttpRequest, fetchImpl: typeof fetch, timeoutMs: number): Promise<Exchange> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    const body = (await response.text()).slice(0, MAX_RESPONSE_CHARS);
    return { status: response.status, body, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    if (controller.signal.aborted) return { error: `timed out after ${timeoutMs} ms` };
    return { error: `network error: ${describeNetworkError(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The error code, not the message: fetch messages can quote the URL, which may hold a token. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string") return code;
  return (error as { name?: string })?.name ?? "unknown";
}
