/**
 * Which HTTP requests the RED rules and panels count. Kubernetes' own probes (`/healthz`,
 * `/livez`, `/readyz`) are the kubelet asking, not users: they answer in microseconds and
 * never fail while the pod serves, so counting them dilutes a service's error ratio and pulls
 * its latency percentiles down. Every rule and panel over `http_requests_total` and
 * `http_request_duration_seconds_bucket` carries this matcher, which is also what lets the
 * collector drop the probes' series before they are billed (components/promql/series-selection.ts
 * derives the cut from it; services that label the path otherwise than `handler` are unaffected).
 */
export const NOT_PROBE_REQUESTS = 'handler!~"/healthz|/livez|/readyz"';

/**
 * Min step of every RED panel's query. Grafana's `$__rate_interval` is at least four min steps,
 * so these panels read over at least 4 minutes: four samples of the services' scrape job at its
 * longest interval (components/workload-collector/scrape-intervals.ts derives that from here and
 * from the rules' windows).
 */
export const RED_QUERY_MIN_STEP = "60s";
