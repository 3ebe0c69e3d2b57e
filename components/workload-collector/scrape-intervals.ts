/**
 * Per-job scrape intervals. Application services (the `annotated-services` job) are what the
 * collector ships most of on a busy node (a latency histogram is a dozen series per route and
 * pod), and the rules and panels read their RED metrics only through rate() over windows of at
 * least 4 minutes (the panels' min step is RED_QUERY_MIN_STEP; the rules use 5m and longer), so
 * the job can be scraped every minute with four samples in every window. The other jobs keep
 * the collector's interval: their gauges are read at an instant, where the interval is the
 * freshness. tests/collector/scrape-intervals.test.ts keeps the ceiling below equal to what
 * components/promql/range-reads.ts derives from every rule and panel.
 */

/** The metrics of application services the project's rules and panels read. */
export const SERVICE_METRICS: readonly string[] = ["http_request_duration_seconds_bucket", "http_requests_total"];

/** The longest interval at which every read of SERVICE_METRICS keeps four samples per window. */
export const SERVICE_SCRAPE_INTERVAL_MAX_SECONDS = 60;

/** The annotated-services job's default interval: its ceiling, which halves what it ships at 30s. */
export const DEFAULT_SERVICE_SCRAPE_INTERVAL = `${SERVICE_SCRAPE_INTERVAL_MAX_SECONDS}s`;
