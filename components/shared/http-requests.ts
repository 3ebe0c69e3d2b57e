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
