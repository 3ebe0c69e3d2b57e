/**
 * The collector's remote_write section when the hub is self-hosted: the ingest proxy's URL
 * behind the internal load balancer, the account's bearer token read from a file (mounted
 * from Secrets Manager, never in the config), the same allow-list and series cuts as the managed path.
 * Replaces the SigV4 section of `workload-collector/prometheus-config.ts`; the rest of the
 * collector's config is unchanged.
 */
import { AMP_QUEUE_CONFIG, shippedSeriesFilter } from "../workload-collector/remote-write-filter";
import { SeriesCut } from "../workload-collector/series-cuts";

/** The JSON field of each ingest secret that holds the token (`{"token": "..."}`). */
export const INGEST_TOKEN_FIELD = "token";

export interface SelfHostedRemoteWriteTarget {
  /** `https://<internal load balancer>/api/v1/write` */
  remoteWriteUrl: string;
  /** Path of the mounted file holding the account's ingest token. */
  bearerTokenFile: string;
  /** CA bundle that signs the load balancer's certificate, when it is a private CA. */
  caFile?: string;
}

export function selfHostedRemoteWriteSection(target: SelfHostedRemoteWriteTarget, metricAllowlist: readonly string[], seriesCuts: readonly SeriesCut[] = []): Record<string, unknown> {
  return {
    url: target.remoteWriteUrl,
    authorization: { type: "Bearer", credentials_file: target.bearerTokenFile },
    ...(target.caFile ? { tls_config: { ca_file: target.caFile } } : {}),
    // The same queue as for AMP: the proxy forwards each request whole, so batch sizes carry over.
    queue_config: { ...AMP_QUEUE_CONFIG },
    // The managed path's filter, unchanged: the allow-list, then the series no rule or dashboard reads.
    write_relabel_configs: shippedSeriesFilter(metricAllowlist, seriesCuts),
  };
}

/**
 * One remote_write section per independent Prometheus server (`SelfHostedHub.remoteWriteUrls`):
 * the collector sends every sample to each, which is what keeps two servers identical (HA).
 */
export function selfHostedRemoteWriteSections(remoteWriteUrls: string[], bearerTokenFile: string, metricAllowlist: readonly string[], seriesCuts: readonly SeriesCut[] = [], caFile?: string): Record<string, unknown>[] {
  if (remoteWriteUrls.length === 0) throw new Error("No remote-write URL: the self-hosted hub has at least one Prometheus server");
  return remoteWriteUrls.map((remoteWriteUrl) => ({ name: new URL(remoteWriteUrl).pathname.split("/")[1] || "hub", ...selfHostedRemoteWriteSection({ remoteWriteUrl, bearerTokenFile, caFile }, metricAllowlist, seriesCuts) }));
}
