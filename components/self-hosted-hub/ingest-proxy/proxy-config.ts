/**
 * The ingest proxy's configuration: where the accounts' ingest credentials are (the token
 * directory the task's account sync keeps), the variable holding the query credential (ECS
 * fills it from Secrets Manager), where Prometheus listens, and size limits. Never a
 * credential itself.
 */

export interface IngestProxyConfig {
  /** Where the proxy listens (the task's port behind the ALB; 127.0.0.1 in local tests). */
  listen: { host: string; port: number };
  /** The central Prometheus, reachable only through this proxy. */
  upstreamUrl: string;
  /**
   * Path prefix the load balancer routes to this proxy (`/prometheus-a`): with two
   * independent servers, each has its own prefix and collectors write to both.
   */
  basePath: string;
  /**
   * Directory of `<account>.json` token files the task's account sync keeps current; the proxy
   * re-reads it every `tokenRefreshSeconds`, so a new account needs no restart.
   */
  tokensDirectory: string;
  tokenRefreshSeconds: number;
  /** Environment variable holding the token Grafana's data sources present on the query paths. */
  queryTokenEnv: string;
  /** Largest compressed request accepted (remote write sends far less: ~1000 samples a request). */
  maxBodyBytes: number;
  /** Largest decompressed WriteRequest; snappy states the length up front, so this is checked before inflating. */
  maxDecodedBytes: number;
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_DECODED_BYTES = 64 * 1024 * 1024;
/** How often the token directory is re-read: a new account's writes are accepted within this. */
export const DEFAULT_TOKEN_REFRESH_SECONDS = 15;
export const QUERY_TOKEN_ENV = "QUERY_TOKEN";

export interface IngestProxySettings {
  tokensDirectory: string;
  tokenRefreshSeconds?: number;
  listen: { host: string; port: number };
  upstreamUrl: string;
  basePath?: string;
  maxBodyBytes?: number;
  maxDecodedBytes?: number;
}

export function ingestProxyConfig(settings: IngestProxySettings): IngestProxyConfig {
  if (settings.basePath !== undefined && settings.basePath !== "" && !/^(\/[A-Za-z0-9_-]+)+$/.test(settings.basePath)) {
    throw new Error(`Ingest proxy base path "${settings.basePath}" must look like /prometheus-a (no trailing slash)`);
  }
  return {
    listen: settings.listen,
    upstreamUrl: settings.upstreamUrl,
    basePath: settings.basePath ?? "",
    tokensDirectory: settings.tokensDirectory,
    tokenRefreshSeconds: settings.tokenRefreshSeconds ?? DEFAULT_TOKEN_REFRESH_SECONDS,
    queryTokenEnv: QUERY_TOKEN_ENV,
    maxBodyBytes: settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxDecodedBytes: settings.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES,
  };
}

export function renderIngestProxyConfig(settings: IngestProxySettings): string {
  return `${JSON.stringify(ingestProxyConfig(settings), null, 2)}\n`;
}
