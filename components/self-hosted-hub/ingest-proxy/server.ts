/**
 * The ingest and query proxy in front of the central Prometheus (which listens on the
 * task's loopback only, so every request goes through here):
 *
 *   POST /api/v1/write                        bearer = an account's ingest token; every series
 *                                              must carry that account's `account` label, else 403
 *   /accounts/<account>/api/v1/<read API>     bearer = the query token; every selector confined
 *                                              to `account="<account>"` (Grafana's per-account data source)
 *   /all/api/v1/<read API>                    bearer = the query token; unconfined ("All accounts")
 *   GET /-/healthy                            for the load balancer's health check
 *
 * Every path may sit under the configured base path (one per independent Prometheus server).
 * A refused write answers 4xx, which Prometheus' remote write does not retry.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from "http";
import { checkWriteScope } from "./account-scope";
import { Credentials } from "./credentials";
import { IngestProxyConfig } from "./proxy-config";
import { scopeQueryToAccount, scopeSeriesSelectors, UnscopableQueryError } from "./promql-scope";
import { decodeWriteRequest } from "./write-request";

export interface ProxyLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(`request body above ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function answer(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  response.end(`${text}\n`);
}

/** Remote-write headers Prometheus' receiver reads; nothing else is passed on. */
const FORWARDED_WRITE_HEADERS = ["content-encoding", "content-type", "x-prometheus-remote-write-version", "user-agent"];

/** Read endpoints whose every series-selecting parameter is confined; anything else is 404 on a per-account path. */
const SCOPED_READ_PATHS = /^\/api\/v1\/(query|query_range|series|labels|label\/[A-Za-z_][A-Za-z0-9_]*\/values|status\/buildinfo)$/;
/** The "All accounts" path adds metric metadata (names and help texts); it is read-only too. */
const ALL_READ_PATHS = /^\/api\/v1\/(query|query_range|series|labels|label\/[A-Za-z_][A-Za-z0-9_]*\/values|status\/buildinfo|metadata)$/;

export function createIngestProxy(config: IngestProxyConfig, credentials: Credentials, log: ProxyLog): Server {
  async function forward(path: string, init: RequestInit, response: ServerResponse): Promise<void> {
    const upstream = await fetch(`${config.upstreamUrl}${path}`, { ...init, signal: AbortSignal.timeout(120_000) });
    const body = Buffer.from(await upstream.arrayBuffer());
    const headers: Record<string, string> = {};
    const contentType = upstream.headers.get("content-type");
    if (contentType) headers["content-type"] = contentType;
    response.writeHead(upstream.status, headers);
    response.end(body);
  }

  async function write(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const account = credentials.accountOf(request.headers.authorization);
    if (account === undefined) return answer(response, 401, "unknown or missing ingest credential");
    if (request.headers["content-encoding"] !== "snappy") return answer(response, 415, "remote write must be snappy-encoded");
    // Remote write 2.0 carries labels in a symbol table this proxy does not decode: refuse it rather than pass it unchecked.
    const contentType = String(request.headers["content-type"] ?? "");
    if (!/^application\/x-protobuf\s*(;\s*proto=prometheus\.WriteRequest\s*)?$/.test(contentType)) {
      return answer(response, 415, `only remote write 1.0 (prometheus.WriteRequest) is accepted, not ${contentType || "no content type"}`);
    }
    const body = await readBody(request, config.maxBodyBytes);
    let series;
    try {
      series = decodeWriteRequest(body, config.maxDecodedBytes);
    } catch (error) {
      return answer(response, 400, `malformed remote-write request: ${(error as Error).message}`);
    }
    const verdict = checkWriteScope(account, series);
    if (!verdict.allowed) {
      log.warn("refused a write outside the credential's account", { account, reason: verdict.reason });
      return answer(response, 403, verdict.reason!);
    }
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_WRITE_HEADERS) {
      const value = request.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    await forward("/api/v1/write", { method: "POST", headers, body }, response);
  }

  async function read(request: IncomingMessage, response: ServerResponse, apiPath: string, account: string | undefined, search: string): Promise<void> {
    if (!credentials.isQueryToken(request.headers.authorization)) return answer(response, 401, "unknown or missing query credential");
    if (!(account === undefined ? ALL_READ_PATHS : SCOPED_READ_PATHS).test(apiPath)) return answer(response, 404, `${apiPath} is not served here`);
    if (request.method !== "GET" && request.method !== "POST") return answer(response, 405, "GET or POST only");
    const params = new URLSearchParams(search);
    if (request.method === "POST") {
      const form = (await readBody(request, config.maxBodyBytes)).toString("utf8");
      for (const [key, value] of new URLSearchParams(form)) params.append(key, value);
    }
    if (account !== undefined) {
      try {
        const query = params.get("query");
        if (query !== null) params.set("query", scopeQueryToAccount(query, account));
        if (/^\/api\/v1\/(series|labels|label\/)/.test(apiPath)) {
          const selectors = scopeSeriesSelectors(params.getAll("match[]"), account);
          params.delete("match[]");
          for (const selector of selectors) params.append("match[]", selector);
        }
      } catch (error) {
        if (error instanceof UnscopableQueryError) return answer(response, 400, error.message);
        throw error;
      }
    }
    // Label values is GET-only in Prometheus; the others accept a form POST (no URL length limit).
    if (apiPath.startsWith("/api/v1/label/") || apiPath === "/api/v1/status/buildinfo") {
      return forward(`${apiPath}?${params}`, { method: "GET" }, response);
    }
    return forward(apiPath, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: params.toString() }, response);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://proxy");
    if (config.basePath !== "") {
      if (url.pathname !== config.basePath && !url.pathname.startsWith(`${config.basePath}/`)) return answer(response, 404, "not found");
      url.pathname = url.pathname.slice(config.basePath.length) || "/";
    }
    if (url.pathname === "/-/healthy") return answer(response, 200, "ok");
    if (url.pathname === "/api/v1/write") {
      if (request.method !== "POST") return answer(response, 405, "POST only");
      return write(request, response);
    }
    const scoped = /^\/accounts\/([^/]+)(\/api\/v1\/.*)$/.exec(url.pathname);
    if (scoped) {
      const account = decodeURIComponent(scoped[1]);
      if (!credentials.hasAccount(account)) return answer(response, 404, `no account ${account}`);
      return read(request, response, scoped[2], account, url.search);
    }
    const all = /^\/all(\/api\/v1\/.*)$/.exec(url.pathname);
    if (all) return read(request, response, all[1], undefined, url.search);
    return answer(response, 404, "not found");
  }

  return createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) return answer(response, 413, error.message);
      log.warn("request failed", { path: request.url, error: String(error) });
      if (!response.headersSent) answer(response, 502, "upstream unavailable");
      else response.destroy();
    });
  });
}
