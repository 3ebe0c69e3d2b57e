import { EXTERNAL, RuleTestCase, runbook, series, WHERE } from "./model";

const SERVICE = { namespace: "shop", service: "checkout" };
const SCRAPE = { ...EXTERNAL, ...SERVICE, job: "annotated-services", pod: "checkout-5f7b-qq2" };
const TEAM = { team: "platform" };

/** Requests per minute by status code, as counters over `minutes`. */
const traffic = (okPerMinute: number, errorsPerMinute: number, minutes: number) => [
  { series: series("http_requests_total", { ...SCRAPE, code: "200", method: "GET" }), values: `0+${okPerMinute}x${minutes}` },
  { series: series("http_requests_total", { ...SCRAPE, code: "503", method: "GET" }), values: `0+${errorsPerMinute}x${minutes}` },
  // 4xx are the caller's fault: they must not count as errors.
  { series: series("http_requests_total", { ...SCRAPE, code: "404", method: "GET" }), values: `0+${okPerMinute}x${minutes}` },
];

/** Cumulative histogram buckets, observations per minute. */
const latency = (perMinute: Record<string, number>) =>
  Object.entries(perMinute).map(([le, count]) => ({
    series: series("http_request_duration_seconds_bucket", { ...SCRAPE, le }),
    values: `0+${count}x30`,
  }));

const burnDescription = (ratio: string, windows: string, days: string) =>
  `${ratio} of the requests to shop/checkout in cluster blue failed with 5xx over ${windows}: at this rate the 99.9% availability objective's monthly budget is gone in about ${days} days.`;

export const SERVICE_CASES: RuleTestCase[] = [
  {
    name: "ServiceErrorBudgetBurn: 2.5% 5xx for over an hour burns fast and slow",
    // 570 OK + 570 404 + 30 errors a minute: 19.5 requests/s, 0.5 errors/s, 2.5% of all.
    input: traffic(570, 30, 370),
    evalTime: "370m",
    alerts: [
      {
        alertname: "ServiceErrorBudgetBurn",
        firing: [
          {
            labels: { ...WHERE, ...SERVICE, severity: "critical", ...TEAM },
            annotations: {
              summary: "Service shop/checkout is burning its error budget fast",
              description: burnDescription("2.564%", "the last 5 minutes and the last hour", "2.1"),
              runbook_url: runbook("ServiceErrorBudgetBurn"),
            },
          },
          {
            labels: { ...WHERE, ...SERVICE, severity: "warning", ...TEAM },
            annotations: {
              summary: "Service shop/checkout is burning its error budget",
              description: burnDescription("2.564%", "the last hour and the last 6 hours", "5"),
              runbook_url: runbook("ServiceErrorBudgetBurn"),
            },
          },
        ],
      },
    ],
    records: [
      { record: "service:http_requests:rate5m", samples: [{ labels: { ...WHERE, ...SERVICE }, value: 19.5 }] },
      { record: "service:http_request_errors:ratio_rate5m", samples: [{ labels: { ...WHERE, ...SERVICE }, value: 0.5 / 19.5 }] },
      { record: "service:http_request_errors:ratio_rate1h", samples: [{ labels: { ...WHERE, ...SERVICE }, value: 0.5 / 19.5 }] },
      { record: "service:http_request_errors:ratio_rate6h", samples: [{ labels: { ...WHERE, ...SERVICE }, value: 0.5 / 19.5 }] },
    ],
  },
  {
    name: "ServiceErrorBudgetBurn: 1% 5xx burns slowly (warning only)",
    input: traffic(594, 12, 70),
    evalTime: "70m",
    alerts: [
      {
        alertname: "ServiceErrorBudgetBurn",
        firing: [
          {
            labels: { ...WHERE, ...SERVICE, severity: "warning", ...TEAM },
            annotations: {
              summary: "Service shop/checkout is burning its error budget",
              description: burnDescription("1%", "the last hour and the last 6 hours", "5"),
              runbook_url: runbook("ServiceErrorBudgetBurn"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "ServiceErrorBudgetBurn stays quiet at 0.5% 5xx",
    input: traffic(597, 6, 70),
    evalTime: "70m",
    alerts: [{ alertname: "ServiceErrorBudgetBurn", firing: [] }],
  },
  {
    name: "ServiceErrorBudgetBurn stays quiet below the minimum traffic",
    // 2.5% errors, but only 0.065 requests per second.
    input: traffic(1.9, 0.1, 70),
    evalTime: "70m",
    alerts: [{ alertname: "ServiceErrorBudgetBurn", firing: [] }],
  },
  {
    name: "ServiceLatencyP95High fires when p95 is 950ms",
    input: [...traffic(600, 0, 30), ...latency({ "0.1": 100, "0.25": 200, "0.5": 300, "1": 600, "+Inf": 600 })],
    evalTime: "20m",
    alerts: [
      {
        alertname: "ServiceLatencyP95High",
        firing: [
          {
            labels: { ...WHERE, ...SERVICE, severity: "warning", ...TEAM },
            annotations: {
              summary: "Service shop/checkout is slow",
              description: "The 95th percentile latency of shop/checkout in cluster blue is 950ms (threshold 0.5s).",
              runbook_url: runbook("ServiceLatencyP95High"),
            },
          },
        ],
      },
    ],
    records: [{ record: "service:http_request_duration_seconds:p95_rate5m", samples: [{ labels: { ...WHERE, ...SERVICE }, value: 0.95 }] }],
  },
  {
    name: "ServiceLatencyP95High stays quiet when p95 is under 500ms",
    input: [...traffic(600, 0, 30), ...latency({ "0.1": 100, "0.25": 200, "0.5": 600, "1": 600, "+Inf": 600 })],
    evalTime: "20m",
    alerts: [{ alertname: "ServiceLatencyP95High", firing: [] }],
  },
  {
    name: "ServiceNoTraffic fires when a service that had traffic an hour ago has none",
    input: [{ series: series("http_requests_total", { ...SCRAPE, code: "200", method: "GET" }), values: "0+600x60 36000x40" }],
    evalTime: "100m",
    alerts: [
      {
        alertname: "ServiceNoTraffic",
        firing: [
          {
            labels: { ...WHERE, ...SERVICE, severity: "warning", ...TEAM },
            annotations: {
              summary: "Service shop/checkout receives no traffic",
              description: "shop/checkout in cluster blue served 10 requests per second an hour ago and none now.",
              runbook_url: runbook("ServiceNoTraffic"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "ServiceNoTraffic stays quiet while traffic flows",
    input: [{ series: series("http_requests_total", { ...SCRAPE, code: "200", method: "GET" }), values: "0+600x100" }],
    evalTime: "100m",
    alerts: [{ alertname: "ServiceNoTraffic", firing: [] }],
  },
];
