/**
 * Service RED signals (rate, errors, duration) by service and cluster.
 *
 * Metric convention, the one Prometheus client libraries and most ingress controllers use:
 * - `http_requests_total` counter, with the HTTP status code in label `code` ("200", "503");
 * - `http_request_duration_seconds` histogram (`_bucket` series with `le`);
 * - the Kubernetes service in label `service` and its namespace in `namespace`, which the
 *   collector's `annotated-services` scrape job sets from service discovery.
 * Errors are 5xx responses; 4xx are the caller's problem and do not burn the error budget.
 */
import { alertingRule, formatNumber, RuleGroup, selector } from "./model";
import { RuleSettings } from "./settings";

const SERVICE = "account, cluster, namespace, service";

export const SERVICE_RECORDS = {
  requestRate: "service:http_requests:rate5m",
  errorRatio5m: "service:http_request_errors:ratio_rate5m",
  errorRatio1h: "service:http_request_errors:ratio_rate1h",
  errorRatio6h: "service:http_request_errors:ratio_rate6h",
  latencyP95: "service:http_request_duration_seconds:p95_rate5m",
} as const;

export function serviceGroups(s: RuleSettings): RuleGroup[] {
  const http = s.selectors.httpServices;
  const t = s.thresholds;
  const r = SERVICE_RECORDS;
  const errorBudget = 1 - t.serviceAvailabilityObjective;
  const fast = formatNumber(t.serviceFastBurnRate * errorBudget);
  const slow = formatNumber(t.serviceSlowBurnRate * errorBudget);
  const objective = `${formatNumber(t.serviceAvailabilityObjective * 100)}%`;
  const errorRatio = (window: string) =>
    `sum by (${SERVICE}) (rate(http_requests_total${selector(http, 'code=~"5.."')}[${window}]))` +
    ` / sum by (${SERVICE}) (rate(http_requests_total${selector(http)}[${window}]))`;
  const enoughTraffic = `on (${SERVICE}) ${r.requestRate} >= ${formatNumber(t.serviceMinRequestsPerSecond)}`;
  const alert = (definition: Parameters<typeof alertingRule>[2]) => alertingRule(s, "services", definition);
  return [
    {
      name: "service-red",
      concern: "services",
      interval: s.evaluationInterval,
      rules: [
        { record: r.requestRate, expr: `sum by (${SERVICE}) (rate(http_requests_total${selector(http)}[5m]))` },
        { record: r.errorRatio5m, expr: errorRatio("5m") },
        { record: r.errorRatio1h, expr: errorRatio("1h") },
        { record: r.errorRatio6h, expr: errorRatio("6h") },
        {
          record: r.latencyP95,
          expr: `histogram_quantile(0.95, sum by (${SERVICE}, le) (rate(http_request_duration_seconds_bucket${selector(http)}[5m])))`,
        },
        // Multi-window burn rates (Google SRE workbook): the long window proves it is
        // sustained, the short one that it is still happening, so the alert resolves quickly.
        alert({
          id: "ServiceErrorBudgetBurn:critical",
          severity: "critical",
          expr: `${r.errorRatio5m} > ${fast} and ${r.errorRatio1h} > ${fast} and ${enoughTraffic}`,
          summary: "Service {{ $labels.namespace }}/{{ $labels.service }} is burning its error budget fast",
          description: `{{ $value | humanizePercentage }} of the requests to {{ $labels.namespace }}/{{ $labels.service }} in cluster {{ $labels.cluster }} failed with 5xx over the last 5 minutes and the last hour: at this rate the ${objective} availability objective's monthly budget is gone in about ${formatNumber(Math.round((30 / t.serviceFastBurnRate) * 10) / 10)} days.`,
        }),
        alert({
          id: "ServiceErrorBudgetBurn:warning",
          severity: "warning",
          expr: `${r.errorRatio1h} > ${slow} and ${r.errorRatio6h} > ${slow} and ${enoughTraffic}`,
          summary: "Service {{ $labels.namespace }}/{{ $labels.service }} is burning its error budget",
          description: `{{ $value | humanizePercentage }} of the requests to {{ $labels.namespace }}/{{ $labels.service }} in cluster {{ $labels.cluster }} failed with 5xx over the last hour and the last 6 hours: at this rate the ${objective} availability objective's monthly budget is gone in about ${formatNumber(Math.round((30 / t.serviceSlowBurnRate) * 10) / 10)} days.`,
        }),
        alert({
          id: "ServiceLatencyP95High",
          severity: "warning",
          expr: `${r.latencyP95} > ${formatNumber(t.serviceLatencyP95Seconds)} and ${enoughTraffic}`,
          summary: "Service {{ $labels.namespace }}/{{ $labels.service }} is slow",
          description: `The 95th percentile latency of {{ $labels.namespace }}/{{ $labels.service }} in cluster {{ $labels.cluster }} is {{ $value | humanizeDuration }} (threshold ${formatNumber(t.serviceLatencyP95Seconds)}s).`,
        }),
        alert({
          id: "ServiceNoTraffic",
          severity: "warning",
          // Had traffic an hour ago, has none now (zero or no series at all).
          expr:
            `${r.requestRate} offset 1h >= ${formatNumber(t.serviceMinRequestsPerSecond)}` +
            ` unless on (${SERVICE}) ${r.requestRate} > 0`,
          summary: "Service {{ $labels.namespace }}/{{ $labels.service }} receives no traffic",
          description: "{{ $labels.namespace }}/{{ $labels.service }} in cluster {{ $labels.cluster }} served {{ $value | humanize }} requests per second an hour ago and none now.",
        }),
      ],
    },
  ];
}
