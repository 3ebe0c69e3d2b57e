/**
 * The application services' scrape job runs at its own, longer interval: derived from how every
 * rule and panel reads the services' metrics (over ranges, never at an instant), rendered into
 * the job, bounded by config, and counted by the AMP quota estimate.
 */
import { expect } from "chai";
import { allRuleExpressions } from "../../components/alert-pipeline/rules";
import { prometheusExpressions } from "../../components/dashboards";
import { ampDataSourceJson } from "../../components/observability-hub/datasources";
import { longestScrapeIntervalSeconds, readsOverTime } from "../../components/promql";
import { durationSeconds } from "../../components/alert-pipeline/alertmanager";
import { collectorPrometheusConfig } from "../../components/workload-collector/prometheus-config";
import { SERVICE_METRICS, SERVICE_SCRAPE_INTERVAL_MAX_SECONDS } from "../../components/workload-collector/scrape-intervals";
import { collectorAwareRules } from "../../stacks/account-rules";
import { collectorSchema } from "../../stacks/config/schema";
import { projectDashboards } from "../support/project-dashboards";

describe("scrape intervals: the services' job", () => {
  describe("readsOverTime", () => {
    it("takes the shortest window a metric is read over, and marks any read at an instant", () => {
      const reads = readsOverTime([
        { expr: "sum(rate(a_total[5m])) / sum(rate(a_total[1h]))" },
        { expr: 'b > 0 and rate(c_total{x="y"}[10m]) > 1' },
        { expr: "max_over_time(rate(d_total[2m])[1h:1m]) + max_over_time(e[30m:1m]) + f offset 1h" },
      ]);
      expect(reads.map((r) => [r.metric, r.instant, r.shortestRangeSeconds])).to.deep.equal([
        ["a_total", false, 300],
        ["b", true, undefined],
        ["c_total", false, 600],
        ["d_total", false, 120],
        // A subquery evaluates its inner selector at each step: an instant read.
        ["e", true, undefined],
        ["f", true, undefined],
      ]);
      // Compound literals count; computed ranges are unknown, so read as instants (the strict side).
      expect(readsOverTime([{ expr: "rate(z_total[5m+1m]) + rate(y_total[1h30m]) + rate(x_total[step()])" }]).map((r) => [r.metric, r.instant, r.shortestRangeSeconds])).to.deep.equal([
        ["x_total", true, undefined],
        ["y_total", false, 5400],
        ["z_total", true, undefined],
      ]);
    });

    it("reads $__rate_interval as the given minimum, other duration variables as zero, and refuses $__rate_interval without one", () => {
      expect(readsOverTime([{ expr: "rate(a_total[$__rate_interval])", rateIntervalSeconds: 240 }])[0].shortestRangeSeconds).to.equal(240);
      expect(readsOverTime([{ expr: "increase(a_total[$__range])" }])[0].shortestRangeSeconds).to.equal(0);
      expect(() => readsOverTime([{ expr: "rate(a_total[$__rate_interval])" }])).to.throw(/\$__rate_interval: say what it is at least/);
    });

    it("allows the longest interval with four samples in the shortest window, none when a metric is read at an instant or not at all", () => {
      const reads = readsOverTime([{ expr: "rate(a_total[5m]) + rate(c_total[4m])" }, { expr: "b" }]);
      expect(longestScrapeIntervalSeconds(reads, ["a_total"])).to.equal(75);
      expect(longestScrapeIntervalSeconds(reads, ["a_total", "c_total"])).to.equal(60);
      expect(longestScrapeIntervalSeconds(reads, ["a_total", "b"])).to.equal(undefined);
      expect(longestScrapeIntervalSeconds(reads, ["missing"])).to.equal(undefined);
    });
  });

  it("SERVICE_SCRAPE_INTERVAL_MAX_SECONDS is what every rule and panel reading the services' metrics allows", () => {
    // Grafana's $__rate_interval is four times the query's min step, or the data source's scrape interval.
    const dataSourceSeconds = durationSeconds(String(ampDataSourceJson("eu-west-1").timeInterval));
    const expressions = [
      ...allRuleExpressions().map((expr) => ({ expr })),
      ...projectDashboards().flatMap(prometheusExpressions).map((e) => ({ expr: e.expr, rateIntervalSeconds: 4 * (e.minStep ? durationSeconds(e.minStep) : dataSourceSeconds) })),
    ];
    const reads = readsOverTime(expressions);
    for (const metric of SERVICE_METRICS) expect(reads.some((r) => r.metric === metric), metric).to.equal(true);
    expect(longestScrapeIntervalSeconds(reads, SERVICE_METRICS)).to.equal(SERVICE_SCRAPE_INTERVAL_MAX_SECONDS);
    // Without the RED panels' min step, $__rate_interval would be 2 minutes: 30s at most.
    const withoutMinStep = readsOverTime(projectDashboards().flatMap(prometheusExpressions).map((e) => ({ expr: e.expr, rateIntervalSeconds: 4 * dataSourceSeconds })));
    expect(longestScrapeIntervalSeconds(withoutMinStep, SERVICE_METRICS)).to.equal(30);
  });

  it("renders the interval into the annotated-services job only", () => {
    const config = collectorPrometheusConfig({
      accountName: "payments", clusterName: "c", environment: "dev", scrapeInterval: "30s", serviceScrapeInterval: "60s",
      remoteWrite: { remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write", region: "eu-west-1", ingestRoleArn: "arn:aws:iam::111111111111:role/r" },
      metricAllowlist: ["up"],
    }) as { global: { scrape_interval: string }; scrape_configs: Array<{ job_name: string; scrape_interval?: string }> };
    expect(config.global.scrape_interval).to.equal("30s");
    expect(config.scrape_configs.map((job) => [job.job_name, job.scrape_interval])).to.deep.equal([
      ["prometheus", undefined], ["kubelet", undefined], ["cadvisor", undefined], ["node-exporter", undefined], ["kube-state-metrics", undefined], ["annotated-services", "60s"],
    ]);
    expect(config.scrape_configs.filter((job) => "scrape_interval" in job).map((job) => job.job_name)).to.deep.equal(["annotated-services"]);
    // Without its own interval the job takes the global one: no key at all.
    const plain = collectorPrometheusConfig({
      accountName: "payments", clusterName: "c", environment: "dev", scrapeInterval: "30s",
      remoteWrite: { remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write", region: "eu-west-1", ingestRoleArn: "arn:aws:iam::111111111111:role/r" },
      metricAllowlist: ["up"],
    }) as { scrape_configs: Array<Record<string, unknown>> };
    expect(plain.scrape_configs.filter((job) => "scrape_interval" in job)).to.deep.equal([]);
  });

  it("defaults to the ceiling and refuses a longer interval, saying why and what to use", () => {
    expect(collectorSchema.parse({}).serviceScrapeInterval).to.equal("60s");
    expect(collectorSchema.parse({ serviceScrapeInterval: "30s" }).serviceScrapeInterval).to.equal("30s");
    const refused = collectorSchema.safeParse({ serviceScrapeInterval: "90s" });
    expect(refused.success).to.equal(false);
    expect(JSON.stringify(refused.error?.issues)).to.contain("longer than 60s: the RED panels read services over 4-minute windows and need four samples in each; use 60s or less");
  });

  it("has the AMP quota rules estimate active series with the longest interval the collector uses, unless the account sets one", () => {
    const account = (collector: Record<string, unknown>, rules: Record<string, unknown> = {}) =>
      collectorAwareRules({ collector: collectorSchema.parse(collector), rules } as Parameters<typeof collectorAwareRules>[0]).collectorScrapeIntervalSeconds;
    expect(account({})).to.equal(60);
    expect(account({ scrapeInterval: "2m", serviceScrapeInterval: "30s" })).to.equal(120);
    expect(account({ serviceScrapeInterval: "30s" })).to.equal(30);
    expect(account({}, { collectorScrapeIntervalSeconds: 15 })).to.equal(15);
  });
});
