/**
 * A workload collector of the `selfhosted` environment, as its workload stack deploys it, on
 * loopback with the real software:
 *
 *   credentials step (the init container's script under sh, stand-in `aws`) -> token file
 *   Prometheus agent (Debian's, the chart's agent flags, the plan's prometheus.yml for
 *     selfhosted-search) --remote_write, bearer token file--> ingest proxy --> central Prometheus
 *
 * The plan's prometheus.yml is used as deployed except: its Kubernetes scrape jobs are replaced
 * by the agent's own static target (no cluster here) and the scrape interval shortened; in the
 * remote_write section, byte for byte the deployed text, only the hub's host name becomes the
 * proxy's loopback address and the token directory the test's (the path under it is the same).
 */
import { expect } from "chai";
import { randomBytes } from "crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { Server } from "http";
import { tmpdir } from "os";
import { join } from "path";
import { parse, stringify } from "yaml";
import { ingestProxyConfig, prometheusServerArgs } from "../../components/self-hosted-hub";
import { Credentials } from "../../components/self-hosted-hub/ingest-proxy/credentials";
import { QUERY_TOKEN_ENV } from "../../components/self-hosted-hub/ingest-proxy/proxy-config";
import { writeTokenDirectory } from "../support/token-directory";
import { createIngestProxy } from "../../components/self-hosted-hub/ingest-proxy/server";
import { CHART_CONFIG_PATH, CHART_STORAGE_MOUNT_PATH } from "../../components/workload-collector/chart-server-args";
import { agentServerFlags } from "../../components/workload-collector/helm-values";
import { HUB_CREDENTIALS_DIR } from "../../components/workload-collector/hub-credentials";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { freePort, httpOk, RunningProcess, startProcess, waitFor } from "../alert-path/processes";
import { runCredentialsStep, secretHolding } from "../support/credentials-step";
import { planOf, stackOf } from "../support/plans";
import { requireTool } from "../support/tools";

const HUB_ORIGIN = "https://metrics.selfhosted.observability.example.com";
const TOKENS = { search: randomBytes(24).toString("hex"), payments: randomBytes(24).toString("hex"), query: randomBytes(24).toString("hex") };

interface Series {
  metric: Record<string, string>;
}

describe("self-hosted collector on loopback: the planned selfhosted-search collector -> ingest proxy -> central Prometheus", function () {
  this.timeout(120_000);
  let dir: string;
  let deployedConfig: string;
  let secretArns: Record<string, string>;
  const processes: RunningProcess[] = [];
  let proxy: Server | undefined;
  let proxyOrigin: string;
  let centralUrl: string;
  const statuses: number[] = [];
  const refusals: Record<string, unknown>[] = [];

  /** The deployed file with the two deployment-specific values made local, and the local scrape job. */
  function localConfig(agentPort: number, credentialsDir: string): string {
    const at = deployedConfig.indexOf("\nremote_write:\n");
    expect(at, "remote_write is the last section of the rendered file").to.be.greaterThan(0);
    const remoteWriteText = deployedConfig.slice(at + 1).split(HUB_ORIGIN).join(proxyOrigin).split(`${HUB_CREDENTIALS_DIR}/`).join(`${credentialsDir}/`);
    const head = parse(deployedConfig.slice(0, at + 1));
    head.global.scrape_interval = "1s";
    head.scrape_configs = [{ job_name: "prometheus", static_configs: [{ targets: [`127.0.0.1:${agentPort}`] }] }];
    return `${stringify(head, { lineWidth: 0 })}${remoteWriteText}`;
  }

  /** The agent with the chart's agent flags, its config and WAL paths moved under the test's directory. */
  async function startAgent(name: string, credentialsDir: string): Promise<number> {
    const port = await freePort();
    const configFile = join(dir, `${name}.yml`);
    writeFileSync(configFile, localConfig(port, credentialsDir));
    mkdirSync(join(dir, `${name}-data`));
    const flags = agentServerFlags()
      .map((flag) => flag.replace(CHART_CONFIG_PATH, configFile).replace(`=${CHART_STORAGE_MOUNT_PATH}`, `=${join(dir, `${name}-data`)}`))
      .filter((flag) => !flag.startsWith("--web.console."));
    processes.push(startProcess(name, "prometheus", [...flags, `--web.listen-address=127.0.0.1:${port}`]));
    return port;
  }

  async function seriesAt(query: string): Promise<Series[]> {
    const body = await httpOk(`${centralUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
    return body ? (JSON.parse(body) as { data: { result: Series[] } }).data.result : [];
  }

  function logs(): string {
    return processes.map((p) => p.log()).join("\n");
  }

  before(async function () {
    requireTool(this, "prometheus", "prometheus");
    dir = mkdtempSync(join(tmpdir(), "selfhosted-collector-"));
    const search = await stackOf("selfhosted", "selfhosted-search");
    deployedConfig = search.artifacts.find((a) => a.path === "kubernetes/search-search-dev-config/prometheus.yml")!.content;
    const records = (await planOf("selfhosted")).stacks.filter((s) => s.kind === "hub-account").map((s) => Object.values(s.outputs.workloads as Record<string, { accountName: string; ingestSecretArn: string }>)[0]);
    secretArns = Object.fromEntries(records.map((r) => [r.accountName, r.ingestSecretArn]));

    // Central Prometheus with the hub's rendered flags (remote-write receiver on).
    const centralPort = await freePort();
    centralUrl = `http://127.0.0.1:${centralPort}`;
    writeFileSync(join(dir, "central.yml"), stringify({ global: { scrape_interval: "1m" } }));
    processes.push(startProcess("central", "prometheus", prometheusServerArgs({ configFile: join(dir, "central.yml"), storagePath: join(dir, "central-data"), retentionTime: "1d", retentionSize: "1GB", listenAddress: `127.0.0.1:${centralPort}` })));

    // The hub's ingest proxy under the first server's base path, with both accounts' tokens.
    const proxyPort = await freePort();
    proxyOrigin = `http://127.0.0.1:${proxyPort}`;
    const config = ingestProxyConfig({ tokensDirectory: writeTokenDirectory(join(dir, "ingest-tokens"), { search: TOKENS.search, payments: TOKENS.payments }), listen: { host: "127.0.0.1", port: proxyPort }, upstreamUrl: centralUrl, basePath: "/prometheus-a" });
    const credentials = new Credentials(config, { [QUERY_TOKEN_ENV]: TOKENS.query });
    credentials.readDirectory(config.tokensDirectory);
    proxy = createIngestProxy(config, credentials, { info() {}, warn: (message, fields) => void refusals.push({ message, ...fields }) });
    proxy.prependListener("request", (request, response) => response.on("finish", () => statuses.push(response.statusCode)));
    await new Promise<void>((resolve) => proxy!.listen(proxyPort, "127.0.0.1", resolve));
    await waitFor("central Prometheus ready", () => httpOk(`${centralUrl}/-/ready`), 20_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${logs()}`)));
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    if (proxy) await new Promise<void>((resolve) => proxy!.close(() => resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the deployed remote_write section byte for byte, apart from the hub's address and the token directory", () => {
    const local = localConfig(9090, join(dir, "any"));
    const deployedSection = deployedConfig.slice(deployedConfig.indexOf("\nremote_write:\n") + 1);
    const localSection = local.slice(local.indexOf("\nremote_write:\n") + 1);
    expect(localSection.split(proxyOrigin).join(HUB_ORIGIN).split(`${join(dir, "any")}/`).join(`${HUB_CREDENTIALS_DIR}/`)).to.equal(deployedSection);
    expect(parse(deployedSection).remote_write.map((s: any) => [s.url, s.authorization])).to.deep.equal([
      [`${HUB_ORIGIN}/prometheus-a/api/v1/write`, { type: "Bearer", credentials_file: `${HUB_CREDENTIALS_DIR}/ingest-token` }],
    ]);
  });

  it("delivers search's series, labelled with search's account, cluster and environment and only allow-listed names, with the token its credentials step fetched", async function () {
    const credentials = join(dir, "search-credentials");
    const step = runCredentialsStep(dir, credentials, secretArns.search, secretHolding(TOKENS.search));
    expect(step.status, step.stderr).to.equal(0);
    expect(step.calls).to.deep.equal([`region=eu-west-1 args=secretsmanager get-secret-value --secret-id ${secretArns.search} --query SecretString --output text`]);
    const port = await startAgent("search-agent", credentials);
    const up = await waitFor("search's up series in the central Prometheus", async () => {
      const series = await seriesAt(`up{instance="127.0.0.1:${port}"}`);
      return series.length > 0 ? series : undefined;
    }, 60_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${logs()}`)));
    expect(up.map((s) => s.metric)).to.deep.equal([{ __name__: "up", account: "search", cluster: "search-dev", environment: "selfhosted", instance: `127.0.0.1:${port}`, job: "prometheus" }]);
    const names = [...new Set((await seriesAt(`{account="search"}`)).map((s) => s.metric.__name__))];
    expect(names.length).to.be.greaterThan(1);
    expect(names.filter((n) => !collectorMetricAllowlist().includes(n)), "names outside the allow-list").to.deep.equal([]);
    expect(statuses).to.include(204);
  });

  it("refuses (403) the same collector holding payments' token, stores nothing of it, and accepts it once the file holds search's token again (read per request: no restart)", async function () {
    const credentials = join(dir, "crossed-credentials");
    const step = runCredentialsStep(dir, credentials, secretArns.payments, secretHolding(TOKENS.payments));
    expect(step.status, step.stderr).to.equal(0);
    const port = await startAgent("crossed-agent", credentials);
    await waitFor("the proxy to refuse the crossed collector", () => (statuses.includes(403) ? true : undefined), 60_000)
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${logs()}`)));
    expect(refusals[0]).to.include({ message: "refused a write outside the credential's account", account: "payments" });
    expect(String(refusals[0].reason)).to.match(/this credential writes only account="payments"/);
    const failed = await waitFor("the agent to count its refused samples", async () => {
      const metrics = await httpOk(`http://127.0.0.1:${port}/metrics`);
      const match = /prometheus_remote_storage_samples_failed_total\{[^}]*\} (\d+)/.exec(metrics ?? "");
      return match && Number(match[1]) > 0 ? Number(match[1]) : undefined;
    }, 30_000);
    expect(failed).to.be.greaterThan(0);
    expect(await seriesAt(`up{instance="127.0.0.1:${port}"}`), "a refused write was stored").to.deep.equal([]);

    // Rotation on the collector's side: a new token in the file is used by the running agent.
    const refetched = runCredentialsStep(dir, credentials, secretArns.search, secretHolding(TOKENS.search));
    expect(refetched.status, refetched.stderr).to.equal(0);
    const up = await waitFor("the same agent's series once its file holds search's token", async () => {
      const series = await seriesAt(`up{instance="127.0.0.1:${port}"}`);
      return series.length > 0 ? series : undefined;
    }, 60_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${logs()}`)));
    expect(up[0].metric.account).to.equal("search");
  });
});
