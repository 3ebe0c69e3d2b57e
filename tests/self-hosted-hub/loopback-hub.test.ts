/**
 * The self-hosted hub on loopback, with the real software and the exact rendered files:
 *
 *   node-exporter <-scrape- collector "payments" (Prometheus agent, the rendered self-hosted
 *     remote-write section, payments' token)  -+
 *   collector "orders" (orders' token)          +-> ingest proxy (tokens read from the directory
 *   collector "rogue" (payments' token, but    -+     the account sync writes) -> central Prometheus
 *                                                     (the rendered config, rule files globbed)
 *     labelled account="orders": refused)              -> Alertmanager (the rendered files,
 *                                                          api_url -> SNS stub) -> notifier -> sinks
 *   Grafana's data sources (as the stacks declare them) -> proxy query paths -> central Prometheus
 *
 * Only evaluation/scrape intervals, the CollectorTargetDown pending time, the queue's send
 * deadline and Alertmanager's group timing are shortened, through the same settings objects.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { randomBytes } from "crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { Server } from "http";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { resolveAlertmanagerSettings } from "../../components/alert-pipeline/alertmanager";
import { createNotifier, HandleResult } from "../../components/alert-pipeline/notifier/notifier";
import { resolveRuleSettings } from "../../components/alert-pipeline/rules";
import {
  ALERTMANAGER_CONFIG_FILE,
  alertmanagerServerArgs,
  accountRuleFiles,
  ingestProxyConfig,
  prometheusServerArgs,
  renderCentralPrometheusConfig,
  selfHostedAlertmanagerFiles,
  selfHostedRemoteWriteSections,
} from "../../components/self-hosted-hub";
import { Credentials } from "../../components/self-hosted-hub/ingest-proxy/credentials";
import { watchTokenDirectory } from "../../components/self-hosted-hub/ingest-proxy/main";
import { QUERY_TOKEN_ENV } from "../../components/self-hosted-hub/ingest-proxy/proxy-config";
import { createIngestProxy, ProxyLog } from "../../components/self-hosted-hub/ingest-proxy/server";
import { encodeWriteRequest } from "../../components/self-hosted-hub/ingest-proxy/write-request";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { COLLECTOR_SERIES_CUTS } from "../../components/workload-collector/series-cuts";
import { prometheusExpressions, renderAccountDashboards, renderCrossAccountOverview } from "../../components/dashboards";
import { substituteTemplateVariables } from "../../components/promql";
import { ALL_ACCOUNTS_DATA_SOURCE_UID, accountDataSourceUid, accountProxyDataSource, allAccountsProxyDataSource } from "../../components/self-hosted-hub/grafana-datasources";
import { outputValue } from "../support/components-under-plan";
import { writeTokenDirectory } from "../support/token-directory";
import { withSnsEndpoint } from "../alert-path/local-alertmanager";
import { freePort, httpOk, RunningProcess, startProcess, waitFor } from "../alert-path/processes";
import { SnsPublish, snsLambdaEvent, SnsStub, startSnsStub } from "../alert-path/sns-stub";
import { Sinks, startSinks } from "../support/sinks";
import { requireTool } from "../support/tools";

const CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:hub-alerts";
const SLACK_SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack";
const TOKENS = {
  INGEST_TOKEN_PAYMENTS: randomBytes(24).toString("hex"),
  INGEST_TOKEN_ORDERS: randomBytes(24).toString("hex"),
  QUERY_TOKEN: randomBytes(24).toString("hex"),
};

interface Series {
  metric: Record<string, string>;
}

describe("self-hosted hub on loopback: collectors -> ingest proxy -> central Prometheus -> Alertmanager -> SNS -> notifier; data sources", function () {
  this.timeout(120_000);
  let dir: string;
  const processes: RunningProcess[] = [];
  let nodeExporter: RunningProcess | undefined;
  let sinks: Sinks | undefined;
  let sns: SnsStub | undefined;
  const proxies: Server[] = [];
  const stopWatching: Array<() => void> = [];
  let proxyUrl: string;
  let proxyBUrl: string;
  let centralUrl: string;
  let centralBUrl: string;
  let roguePort: number;
  const proxyWarnings: { message: string; fields?: Record<string, unknown> }[] = [];
  const invocations: { publish: SnsPublish; result: HandleResult }[] = [];

  async function startCollector(name: string, account: string, tokenEnv: keyof typeof TOKENS, targets: string[]): Promise<number> {
    const port = await freePort();
    const tokenFile = join(dir, `${name}-token`);
    writeFileSync(tokenFile, TOKENS[tokenEnv], { mode: 0o600 });
    // One section per independent server, as a collector of a two-server hub writes.
    const sections = selfHostedRemoteWriteSections([`${proxyUrl}/api/v1/write`, `${proxyBUrl}/api/v1/write`], tokenFile, collectorMetricAllowlist(), COLLECTOR_SERIES_CUTS) as { queue_config: object }[];
    writeFileSync(
      join(dir, `${name}.yml`),
      stringify({
        global: { scrape_interval: "1s", scrape_timeout: "500ms", external_labels: { account, cluster: "blue", environment: "dev" } },
        scrape_configs: [
          { job_name: "prometheus", static_configs: [{ targets: [`127.0.0.1:${port}`] }] },
          ...(targets.length > 0 ? [{ job_name: "node-exporter", static_configs: [{ targets }] }] : []),
        ],
        remote_write: sections.map((section) => ({ ...section, queue_config: { ...section.queue_config, batch_send_deadline: "500ms", min_backoff: "100ms", max_backoff: "1s" } })),
      }),
    );
    mkdirSync(join(dir, `${name}-data`));
    processes.push(
      startProcess(name, "prometheus", [
        "--enable-feature=agent",
        `--config.file=${join(dir, `${name}.yml`)}`,
        `--storage.agent.path=${join(dir, `${name}-data`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ]),
    );
    return port;
  }

  before(async function () {
    requireTool(this, "prometheus", "prometheus");
    requireTool(this, "prometheus-alertmanager", "prometheus-alertmanager");
    requireTool(this, "prometheus-node-exporter", "prometheus-node-exporter");
    dir = mkdtempSync(join(tmpdir(), "selfhosted-hub-"));

    // Notifier behind the SNS stub, delivering to a Slack sink.
    sinks = await startSinks();
    const slackSecret = JSON.stringify({ webhookUrl: sinks.urls.slack });
    const notifier = createNotifier({
      config: { destinations: [{ name: "slack", type: "slack", secretArn: SLACK_SECRET }] },
      secrets: { getSecretString: async (id) => (id === SLACK_SECRET ? slackSecret : Promise.reject(new Error(`no secret ${id}`))) },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    sns = await startSnsStub({ credentials: CREDENTIALS, onPublish: async (publish) => void invocations.push({ publish, result: await notifier.handle(snsLambdaEvent(publish)) }) });

    // Alertmanager: the self-hosted files (the managed backend's config and templates), api_url -> SNS stub.
    const amDir = join(dir, "alertmanager");
    mkdirSync(amDir);
    const amSettings = resolveAlertmanagerSettings({ region: "eu-west-1", topicArn: TOPIC }, { teams: { "payments-platform": {}, "orders-platform": {} }, timing: { groupWait: "1s", groupInterval: "1s" }, severityTiming: { critical: { groupWait: "1s" } } });
    for (const [name, text] of Object.entries(selfHostedAlertmanagerFiles(amSettings))) {
      writeFileSync(join(amDir, name), name === ALERTMANAGER_CONFIG_FILE ? stringify(withSnsEndpoint(text, sns.url), { lineWidth: 0 }) : text);
    }
    const amPort = await freePort();
    const amUrl = `http://127.0.0.1:${amPort}`;
    const am = startProcess("alertmanager", "prometheus-alertmanager", [...alertmanagerServerArgs({ configDir: amDir, storagePath: join(amDir, "data"), listenAddress: `127.0.0.1:${amPort}`, peers: [] }), `--web.external-url=${amUrl}`], {
      PATH: process.env.PATH,
      HOME: amDir,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: join(amDir, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(amDir, "no-aws-credentials"),
    });
    processes.push(am);

    // Central Prometheus: the rendered config and rule files, the rendered flags.
    const ruleDir = join(dir, "rules");
    mkdirSync(ruleDir);
    // Each account's own rule files, as the hub renders them (team and thresholds per account).
    const ruleFiles = ["payments", "orders"].flatMap((account) =>
      accountRuleFiles(account, resolveRuleSettings({ team: account, teams: { collector: `${account}-platform` }, evaluationInterval: "1s", pending: { CollectorTargetDown: "0s" } })));
    for (const file of ruleFiles) writeFileSync(join(ruleDir, file.fileName), file.text);
    // The accounts' ingest tokens as the account sync writes them (`<account>.json`, mode 0600).
    const tokenDir = writeTokenDirectory(join(dir, "ingest-tokens"), { payments: TOKENS.INGEST_TOKEN_PAYMENTS, orders: TOKENS.INGEST_TOKEN_ORDERS });
    // Two independent servers (prod's HA): each its own TSDB, the same rendered config and rules,
    // the same Alertmanager, and its own proxy under its own base path.
    const startServer = async (server: "a" | "b") => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      writeFileSync(
        join(dir, `central-${server}.yml`),
        // As deployed: the accounts' rule files globbed from the directory the account sync keeps.
        renderCentralPrometheusConfig({ scrapeInterval: "1s", selfAddress: `127.0.0.1:${port}`, hubAccountLabel: "observability-hub", evaluationInterval: "1s", ruleDir, ruleFileGlobs: [`${ruleDir}/*.yml`], alertmanagers: [`127.0.0.1:${amPort}`], federation: [], federationAllowlist: collectorMetricAllowlist() }, []),
      );
      processes.push(
        startProcess(
          `central-${server}`,
          "prometheus",
          prometheusServerArgs({ configFile: join(dir, `central-${server}.yml`), storagePath: join(dir, `central-${server}-data`), retentionTime: "7d", retentionSize: "1GB", listenAddress: `127.0.0.1:${port}`, externalUrl: url }),
        ),
      );
      // Ingest proxy as deployed: the rendered config, the query token from the environment, the
      // accounts' tokens from the directory the account sync writes, served under the server's base path.
      const proxyPort = await freePort();
      const config = ingestProxyConfig({ tokensDirectory: tokenDir, listen: { host: "127.0.0.1", port: proxyPort }, upstreamUrl: url, basePath: `/prometheus-${server}` });
      const credentials = new Credentials(config, { [QUERY_TOKEN_ENV]: TOKENS.QUERY_TOKEN });
      const log: ProxyLog = { info() {}, warn: (message, fields) => void proxyWarnings.push({ message, fields: { ...fields, server } }) };
      stopWatching.push(watchTokenDirectory(credentials, config.tokensDirectory, config.tokenRefreshSeconds, log));
      const proxy = createIngestProxy(config, credentials, log);
      await new Promise<void>((resolve) => proxy.listen(proxyPort, "127.0.0.1", resolve));
      proxies.push(proxy);
      return { url, proxyUrl: `http://127.0.0.1:${proxyPort}/prometheus-${server}` };
    };
    ({ url: centralUrl, proxyUrl } = await startServer("a"));
    ({ url: centralBUrl, proxyUrl: proxyBUrl } = await startServer("b"));

    try {
      await waitFor("alertmanager ready", () => httpOk(`${amUrl}/-/ready`), 20_000);
      await waitFor("central Prometheus A ready", () => httpOk(`${centralUrl}/-/ready`), 20_000);
      await waitFor("central Prometheus B ready", () => httpOk(`${centralBUrl}/-/ready`), 20_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${logs()}`);
    }

    const nodeExporterPort = await freePort();
    nodeExporter = startProcess("node-exporter", "prometheus-node-exporter", [`--web.listen-address=127.0.0.1:${nodeExporterPort}`, "--collector.disable-defaults", "--collector.loadavg"]);
    await startCollector("payments", "payments", "INGEST_TOKEN_PAYMENTS", [`127.0.0.1:${nodeExporterPort}`]);
    await startCollector("orders", "orders", "INGEST_TOKEN_ORDERS", []);
    roguePort = await startCollector("rogue", "orders", "INGEST_TOKEN_PAYMENTS", []);
  });

  after(async function () {
    await Promise.all([...processes, ...(nodeExporter ? [nodeExporter] : [])].map((p) => p.stop()));
    for (const stop of stopWatching) stop();
    await Promise.all(proxies.map((proxy) => new Promise<void>((resolve) => proxy.close(() => resolve()))));
    await sns?.close();
    await sinks?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function logs(): string {
    return [...processes, ...(nodeExporter ? [nodeExporter] : [])].map((p) => p.log()).join("\n");
  }

  /** The data sources as the stacks declare them (payments, orders, All accounts), with the header Grafana sends. */
  async function declaredDataSources(): Promise<Array<{ name: string; uid: string; url: string; header: string }>> {
    const specs = [
      ...["payments", "orders"].map((account) => accountProxyDataSource(proxyUrl, account, "1s", TOKENS.QUERY_TOKEN)),
      allAccountsProxyDataSource(proxyUrl, "1s", TOKENS.QUERY_TOKEN),
    ];
    return Promise.all(specs.map(async (spec) => ({ name: spec.name, uid: spec.uid, url: String(spec.url), header: (await outputValue(spec.secureJsonData as pulumi.Output<Record<string, string>>)).httpHeaderValue1 })));
  }

  /** A query exactly as Grafana's data source sends it: form POST, the declared bearer header. */
  async function dataSourceQuery(url: string, header: string, path: string, form: Record<string, string>): Promise<{ status: number; body: { data: unknown } }> {
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: header },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(5_000),
    });
    return { status: response.status, body: (await response.json()) as { data: unknown } };
  }

  function accountsOf(series: Series[]): string[] {
    return [...new Set(series.map((s) => s.metric.account ?? "(none)"))].sort();
  }

  it("stores both accounts' writes through the proxy and refuses the write labelled for another account", async function () {
    try {
      await waitFor(
        "payments' node-exporter and orders' collector in the central Prometheus",
        async () => {
          const body = await httpOk(`${centralUrl}/api/v1/query?query=${encodeURIComponent('up{job=~"node-exporter|prometheus"}')}`);
          const series = body ? (JSON.parse(body) as { data: { result: Series[] } }).data.result : [];
          return accountsOf(series).join() === "observability-hub,orders,payments" && series.some((s) => s.metric.job === "node-exporter") ? series : undefined;
        },
        30_000,
      );
      await waitFor("the proxy to refuse the rogue collector", () => (proxyWarnings.length > 0 ? true : undefined), 20_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${logs()}`);
    }
    expect(proxyWarnings[0].message).to.equal("refused a write outside the credential's account");
    expect(proxyWarnings[0].fields?.account).to.equal("payments");
    expect(String(proxyWarnings[0].fields?.reason)).to.match(/belongs to another account; this credential writes only account="payments"/);
    // Nothing of the rogue collector reached the central Prometheus.
    const rogue = await httpOk(`${centralUrl}/api/v1/query?query=${encodeURIComponent(`up{instance="127.0.0.1:${roguePort}"}`)}`);
    expect((JSON.parse(rogue!) as { data: { result: unknown[] } }).data.result).to.deep.equal([]);
    // The rogue collector saw its samples refused (4xx: dropped, not retried).
    const rogueMetrics = (await httpOk(`http://127.0.0.1:${roguePort}/metrics`))!;
    const failed = /prometheus_remote_storage_samples_failed_total\{[^}]*\} (\d+)/.exec(rogueMetrics);
    expect(Number(failed?.[1] ?? 0), "rogue samples refused").to.be.greaterThan(0);
  });

  it("gives the second, independent server every accepted write too, and nothing of the refused ones (HA)", async function () {
    const upOf = async (url: string) => {
      const body = await httpOk(`${url}/api/v1/query?query=${encodeURIComponent('up{job=~"node-exporter|prometheus"}')}`);
      return body ? (JSON.parse(body) as { data: { result: Series[] } }).data.result : [];
    };
    const onB = await waitFor("both accounts' series on server B", async () => {
      const series = await upOf(centralBUrl);
      return accountsOf(series).join() === "observability-hub,orders,payments" ? series : undefined;
    }, 30_000);
    const key = (s: Series) => `${s.metric.account}/${s.metric.job}/${s.metric.instance}`;
    const onA = await upOf(centralUrl);
    // The same collector series on both servers (each server's own self-scrape aside).
    expect(onB.filter((s) => s.metric.account !== "observability-hub").map(key).sort()).to.deep.equal(onA.filter((s) => s.metric.account !== "observability-hub").map(key).sort());
    expect(onB.some((s) => s.metric.instance === `127.0.0.1:${roguePort}`), "rogue series on B").to.equal(false);
    expect(proxyWarnings.some((w) => w.fields?.server === "b"), "server B's proxy refused the rogue collector too").to.equal(true);
  });

  it("answers a forged or unauthenticated write with 403 / 401 / 415 and stores nothing of it; the same series under its own account's credential is stored", async function () {
    const forged = encodeWriteRequest([{ labels: { __name__: "forged_total", account: "orders" }, samples: [{ value: 1, timestampMs: Date.now() }] }]);
    const headers = { "content-encoding": "snappy", "content-type": "application/x-protobuf", "x-prometheus-remote-write-version": "0.1.0" };
    const post = (extra: Record<string, string>, body: Uint8Array = forged) => fetch(`${proxyUrl}/api/v1/write`, { method: "POST", headers: { ...headers, ...extra }, body, signal: AbortSignal.timeout(5_000) });
    expect((await post({ authorization: `Bearer ${TOKENS.INGEST_TOKEN_PAYMENTS}` })).status).to.equal(403);
    expect((await post({})).status).to.equal(401);
    expect((await post({ authorization: `Bearer ${TOKENS.QUERY_TOKEN}` })).status).to.equal(401);
    expect((await post({ authorization: `Bearer ${TOKENS.INGEST_TOKEN_PAYMENTS}`, "content-type": "application/x-protobuf;proto=io.prometheus.write.v2.Request" })).status).to.equal(415);
    const outsideBasePath = await fetch(proxyUrl.replace("/prometheus-a", "/api/v1/write"), { method: "POST", headers: { ...headers, authorization: `Bearer ${TOKENS.INGEST_TOKEN_ORDERS}` }, body: forged, signal: AbortSignal.timeout(5_000) });
    expect(outsideBasePath.status, "a path outside the server's base path").to.equal(404);
    const beforeAccepted = await httpOk(`${centralUrl}/api/v1/query?query=forged_total`);
    expect((JSON.parse(beforeAccepted!) as { data: { result: unknown[] } }).data.result, "a refused write was stored").to.deep.equal([]);
    // The same series under the right credential is accepted, which shows the refusals were about the account.
    expect((await post({ authorization: `Bearer ${TOKENS.INGEST_TOKEN_ORDERS}` })).status).to.equal(204);
    const stored = await waitFor("the accepted forged_total", async () => {
      const body = await httpOk(`${centralUrl}/api/v1/query?query=forged_total`);
      const result = body ? (JSON.parse(body) as { data: { result: Series[] } }).data.result : [];
      return result.length > 0 ? result : undefined;
    }, 10_000);
    expect(stored.map((s) => s.metric)).to.deep.equal([{ __name__: "forged_total", account: "orders" }]);
  });

  it("gives each account's data source that account's series only, and the All accounts one everything", async function () {
    const sources = await declaredDataSources();
    const byName = Object.fromEntries(sources.map((s) => [s.name, s]));
    const query = async (name: string, expression: string) => {
      const { status, body } = await dataSourceQuery(byName[name].url, byName[name].header, "/api/v1/query", { query: expression });
      expect(status, JSON.stringify(body)).to.equal(200);
      return (body.data as { result: Series[] }).result;
    };
    expect(accountsOf(await query("payments", "up"))).to.deep.equal(["payments"]);
    expect(accountsOf(await query("orders", "up"))).to.deep.equal(["orders"]);
    expect(await query("payments", 'up{account="orders"}')).to.deep.equal([]);
    expect(await query("payments", 'sum by (account) ({__name__=~"up|prometheus_.*", account=~".+"})')).to.satisfy((r: Series[]) => r.length === 1 && r[0].metric.account === "payments");
    // The central's own self-scrape is the hub's: only the All accounts data source sees it.
    expect(accountsOf(await query("All accounts", "up"))).to.deep.equal(["observability-hub", "orders", "payments"]);

    // Label values and series are confined as well.
    const labelValues = await dataSourceQuery(byName.payments.url, byName.payments.header, "/api/v1/label/account/values", {});
    expect(labelValues.body.data).to.deep.equal(["payments"]);
    const series = await dataSourceQuery(byName.orders.url, byName.orders.header, "/api/v1/series", { "match[]": "up" });
    expect(accountsOf((series.body.data as Record<string, string>[]).map((metric) => ({ metric })))).to.deep.equal(["orders"]);

    // Without the query token, or on a path the proxy does not serve, nothing is answered.
    const anonymous = await fetch(`${byName.payments.url}/api/v1/query?query=up`, { signal: AbortSignal.timeout(5_000) });
    expect(anonymous.status).to.equal(401);
    const ingestTokenQuery = await fetch(`${byName.payments.url}/api/v1/query?query=up`, { headers: { authorization: `Bearer ${TOKENS.INGEST_TOKEN_PAYMENTS}` }, signal: AbortSignal.timeout(5_000) });
    expect(ingestTokenQuery.status).to.equal(401);
    const admin = await fetch(`${byName.payments.url}/api/v1/admin/tsdb/delete_series?match[]=up`, { method: "POST", headers: { authorization: `Bearer ${TOKENS.QUERY_TOKEN}` }, signal: AbortSignal.timeout(5_000) });
    expect(admin.status).to.equal(404);
  });

  it("answers every expression of payments' dashboards through payments' data source, with payments' series only", async function () {
    const source = (await declaredDataSources()).find((s) => s.uid === accountDataSourceUid("payments"))!;
    const dashboards = renderAccountDashboards({ environment: "dev", accountName: "payments", prometheusDatasourceUid: source.uid });
    const expressions = dashboards.flatMap(prometheusExpressions);
    expect(expressions.length).to.be.greaterThan(20);
    // As Grafana would send them: the dashboard's variables filled in, built-in durations set.
    const filled = (expr: string) => substituteTemplateVariables(expr.replace(/\$account/g, "payments").replace(/\$cluster/g, "blue").replace(/\$\{?(namespace|node|instance|pod)\}?/g, ".*"));
    let withData = 0;
    for (const { dashboardUid, source: panel, expr } of expressions) {
      const { status, body } = await dataSourceQuery(source.url, source.header, "/api/v1/query", { query: filled(expr) });
      expect(status, `${dashboardUid} / ${panel}: ${filled(expr)} -> ${JSON.stringify(body)}`).to.equal(200);
      const result = (body.data as { result: Series[] | unknown }).result;
      if (Array.isArray(result) && result.length > 0) {
        withData++;
        const accounts = accountsOf(result as Series[]).filter((a) => a !== "(none)");
        expect(accounts.filter((a) => a !== "payments"), `${dashboardUid} / ${panel}`).to.deep.equal([]);
      }
    }
    // node-exporter's and the collector's own panels have data on loopback; Kubernetes ones cannot.
    console.log(`      dashboards: ${expressions.length} expressions through the payments data source, ${withData} with series (all payments')`);
    expect(withData, "expressions that returned series").to.be.greaterThan(0);
  });

  it("answers every expression of the cross-account overview through the All accounts data source, with both accounts' series", async function () {
    const source = (await declaredDataSources()).find((s) => s.uid === ALL_ACCOUNTS_DATA_SOURCE_UID)!;
    const expressions = prometheusExpressions(renderCrossAccountOverview("dev", source.uid));
    expect(expressions.length).to.be.greaterThan(5);
    // Grafana's "All" of a multi-value variable: every value, as a regex alternation.
    const filled = (expr: string) => substituteTemplateVariables(expr.replace(/\$account/g, "payments|orders").replace(/\$cluster/g, ".*"));
    const seen = new Set<string>();
    for (const { dashboardUid, source: panel, expr } of expressions) {
      const { status, body } = await dataSourceQuery(source.url, source.header, "/api/v1/query", { query: filled(expr) });
      expect(status, `${dashboardUid} / ${panel}: ${filled(expr)} -> ${JSON.stringify(body)}`).to.equal(200);
      const result = (body.data as { result: Series[] | unknown }).result;
      if (Array.isArray(result)) accountsOf(result as Series[]).forEach((a) => seen.add(a));
    }
    // The per-account panels (targets, remote-write throughput) show both accounts side by side;
    // the account variable's own query (`up`) also lists the hub's self-scrape.
    expect([...seen].filter((a) => a !== "(none)").sort()).to.deep.equal(["observability-hub", "orders", "payments"]);
  });

  it("fires CollectorTargetDown for payments' stopped target and delivers it through SNS and the notifier", async function () {
    await nodeExporter!.stop();
    const firing = await waitFor(
      "CollectorTargetDown to fire in the central Prometheus",
      async () => {
        const body = await httpOk(`${centralUrl}/api/v1/alerts`);
        const alerts = body ? (JSON.parse(body) as { data: { alerts: { labels: Record<string, string>; state: string }[] } }).data.alerts : [];
        return alerts.find((a) => a.labels.alertname === "CollectorTargetDown" && a.labels.job === "node-exporter" && a.state === "firing");
      },
      30_000,
    ).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${logs()}`)));
    expect(firing.labels).to.deep.equal({ alertname: "CollectorTargetDown", account: "payments", cluster: "blue", job: "node-exporter", severity: "warning", team: "payments-platform" });
    // Server B fires the same alert; the one Alertmanager deduplicates them (the subject counts one alert).
    await waitFor("CollectorTargetDown to fire on server B", async () => {
      const body = await httpOk(`${centralBUrl}/api/v1/alerts`);
      const alerts = body ? (JSON.parse(body) as { data: { alerts: { labels: Record<string, string>; state: string }[] } }).data.alerts : [];
      return alerts.find((a) => a.labels.alertname === "CollectorTargetDown" && a.labels.account === "payments" && a.state === "firing");
    }, 30_000);

    const slack = await waitFor("the Slack message", () => sinks!.accepted("slack").find((r) => r.body.includes("CollectorTargetDown") && r.body.includes("FIRING")), 30_000);
    expect(slack.body).to.contain("payments");
    const publish = sns!.published.find((p) => p.subject?.includes("CollectorTargetDown"))!;
    expect(publish.subject).to.equal("[FIRING:1] CollectorTargetDown payments/blue");
    expect(publish.topicArn).to.equal(TOPIC);
    expect(publish.messageAttributes.team.StringValue, "routed to the account's team receiver").to.equal("payments-platform");
    await sns!.idle();
    expect(sns!.rejected, "publishes SNS refused (SigV4, size, subject)").to.deep.equal([]);
    expect(invocations.filter((i) => i.publish.subject?.includes("CollectorTargetDown")).map((i) => i.result.ok)).to.not.include(false);
  });
});
