/**
 * The collector's HA group, end to end on loopback: two real Prometheus agents started with
 * the chart's args for two replicas (the StatefulSet's --enable-feature=agent,expand-external-labels)
 * and the rendered prometheus.yml (`__replica__: ${POD_NAME}`), each with its own POD_NAME as
 * the downward API sets it, remote-write to a third Prometheus with
 * --web.enable-remote-write-receiver, all on 127.0.0.1.
 *
 * What this proves locally: both replicas' streams arrive, each sample carrying the shared
 * `cluster` label and its own expanded `__replica__`, which is exactly what AMP's HA
 * deduplication keys on ("Deduplicating high availability metrics sent to Amazon Managed
 * Service for Prometheus": both labels required; one replica's samples accepted per
 * cluster at a time; `__replica__` stripped on ingestion).
 *
 * What it cannot prove: the local receiver does not deduplicate, so it stores both streams.
 * On AMP the project's rules and dashboards (components/alert-pipeline/rules,
 * components/dashboards) run against the deduplicated workspace, where their sum() over a
 * cluster sees one series per target and counts it once. Here the same sum() counts every
 * sample twice, and dropping `__replica__` first (max without (__replica__)) - what AMP's
 * dedup amounts to for two replicas scraping the same targets - gives the true value again.
 *
 * Changes to the rendered prometheus.yml, all because this runs outside a cluster and AWS:
 * remote_write points at the receiver without SigV4 (signing would first call STS to assume
 * the ingest role); Kubernetes discovery becomes empty static targets (Debian's prometheus
 * lacks it) and one static job scrapes a local exporter both replicas share, as they share
 * every target in the cluster; the scrape interval is 1s and the queue's batch deadline 1s
 * so the test stays short.
 */
import { expect } from "chai";
import { createServer, Server } from "http";
import { AddressInfo } from "net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse, stringify } from "yaml";
import { CHART_CONFIG_PATH, CHART_STORAGE_MOUNT_PATH, chartServerArgs, chartServerWorkload } from "../../components/workload-collector/chart-server-args";
import { agentServerFlags, collectorHelmValues, REPLICA_EXTERNAL_LABEL_VALUE, REPLICA_NAME_ENV } from "../../components/workload-collector/helm-values";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { renderCollectorPrometheusConfig } from "../../components/workload-collector/prometheus-config";
import { freePort, httpOk, RunningProcess, startProcess, waitFor } from "../alert-path/processes";
import { requireTool } from "../support/tools";

/** The StatefulSet's pod names: <release>-<chart>-server (_helpers.tpl server.fullname), -0 and -1. */
const REPLICAS = ["collector-prometheus-server-0", "collector-prometheus-server-1"];
const RUNNING_PODS = 'kube_pod_status_phase{cluster="blue", phase="Running"}';

/** Two Running pods: the true answer of the dashboard's "Running pods" panel. */
function exporterBody(): string {
  return [
    "# TYPE kube_pod_status_phase gauge",
    'kube_pod_status_phase{namespace="shop",pod="web-1",phase="Running"} 1',
    'kube_pod_status_phase{namespace="shop",pod="web-2",phase="Running"} 1',
    "",
  ].join("\n");
}

function agentConfig(receiverPort: number, exporterAddress: string): string {
  const rendered = renderCollectorPrometheusConfig({
    accountName: "payments",
    clusterName: "blue",
    environment: "prod",
    scrapeInterval: "1s",
    remoteWrite: {
      remoteWriteUrl: `http://127.0.0.1:${receiverPort}/api/v1/write`,
      region: "eu-west-1",
      ingestRoleArn: "arn:aws:iam::220987654321:role/amp-ingest-prod-payments",
    },
    metricAllowlist: collectorMetricAllowlist(),
    replicaLabel: REPLICA_EXTERNAL_LABEL_VALUE,
  });
  const config = parse(rendered);
  expect(config.global.external_labels).to.deep.include({ cluster: "blue", __replica__: "${POD_NAME}" });
  for (const job of config.scrape_configs) {
    if (job.kubernetes_sd_configs) {
      delete job.kubernetes_sd_configs;
      delete job.authorization;
      delete job.tls_config;
      job.scheme = "http";
      job.static_configs = [{ targets: [] }];
    }
  }
  config.scrape_configs.push({ job_name: "shared-target", static_configs: [{ targets: [exporterAddress] }] });
  const [remoteWrite] = config.remote_write;
  delete remoteWrite.sigv4;
  remoteWrite.queue_config.batch_send_deadline = "1s";
  return stringify(config);
}

/** Exactly the chart's two machine paths are swapped; everything else is passed as rendered. */
function localArgs(chartArgs: string[], configFile: string, dataDir: string, port: number): string[] {
  const args = chartArgs.map((arg) => arg
    .replace(`--config.file=${CHART_CONFIG_PATH}`, `--config.file=${configFile}`)
    .replace(`--storage.agent.path=${CHART_STORAGE_MOUNT_PATH}`, `--storage.agent.path=${dataDir}`));
  expect(args).to.include(`--config.file=${configFile}`);
  expect(args).to.include(`--storage.agent.path=${dataDir}`);
  return [...args, `--web.listen-address=127.0.0.1:${port}`];
}

async function query(base: string, promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const body = await httpOk(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  if (body === undefined) throw new Error(`query ${promql} failed`);
  return JSON.parse(body).data.result;
}

async function scalar(base: string, promql: string): Promise<number> {
  const result = await query(base, promql);
  expect(result, promql).to.have.length(1);
  return Number(result[0].value[1]);
}

describe("collector HA replicas: two real agents, one remote-write receiver", function () {
  this.timeout(15_000);
  let dir: string;
  let exporter: Server | undefined;
  let receiverUrl: string;
  const agentUrls: string[] = [];
  const processes: RunningProcess[] = [];

  async function ready(proc: RunningProcess, url: string): Promise<void> {
    await waitFor(`${proc.name} ready`, async () => {
      if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}\n${proc.log()}`);
      return (await httpOk(`${url}/-/ready`).catch(() => undefined)) === undefined ? undefined : true;
    }, 8_000).catch((error) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${proc.log()}`);
    });
  }

  before(async function () {
    requireTool(this, "prometheus", "prometheus");
    dir = mkdtempSync(join(tmpdir(), "collector-ha-"));
    exporter = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(exporterBody());
    });
    await new Promise<void>((resolve) => exporter!.listen(0, "127.0.0.1", resolve));
    const exporterAddress = `127.0.0.1:${(exporter.address() as AddressInfo).port}`;

    const receiverPort = await freePort();
    receiverUrl = `http://127.0.0.1:${receiverPort}`;
    writeFileSync(join(dir, "receiver.yml"), "global: {}\n");
    mkdirSync(join(dir, "receiver-data"));
    const receiver = startProcess("receiver", "prometheus", [
      `--config.file=${join(dir, "receiver.yml")}`, `--storage.tsdb.path=${join(dir, "receiver-data")}`,
      `--web.listen-address=127.0.0.1:${receiverPort}`, "--web.enable-remote-write-receiver",
    ], { PATH: process.env.PATH, HOME: dir });
    processes.push(receiver);

    const configFile = join(dir, "prometheus.yml");
    writeFileSync(configFile, agentConfig(receiverPort, exporterAddress));
    const chartArgs = chartServerArgs(collectorHelmValues({
      serviceAccountName: "amp-collector",
      collectorRoleArn: "arn:aws:iam::310987654321:role/amp-collector-prod-payments",
      prometheusMode: "agent",
      configMapOverrideName: "prometheus-config",
      replicas: 2,
    }));
    const agents: Array<[RunningProcess, string]> = [];
    for (const replica of REPLICAS) {
      const dataDir = join(dir, `${replica}-data`);
      mkdirSync(dataDir);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      // What the chart's env (server.env, a downward-API fieldRef) gives each pod.
      const proc = startProcess(replica, "prometheus", localArgs(chartArgs, configFile, dataDir, port),
        { PATH: process.env.PATH, HOME: dir, [REPLICA_NAME_ENV]: replica });
      processes.push(proc);
      agents.push([proc, url]);
      agentUrls.push(url);
    }
    await Promise.all([ready(receiver, receiverUrl), ...agents.map(([proc, url]) => ready(proc, url))]);
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    if (exporter) await new Promise<void>((resolve) => exporter!.close(() => resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs each replica as an agent with external label expansion, its __replica__ its own pod name", async () => {
    expect(chartServerWorkload(collectorHelmValues({
      serviceAccountName: "amp-collector", collectorRoleArn: "arn:aws:iam::310987654321:role/x",
      prometheusMode: "agent", configMapOverrideName: "prometheus-config", replicas: 2,
    })).env).to.deep.equal([{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }]);
    for (const [i, url] of agentUrls.entries()) {
      const flags = JSON.parse((await httpOk(`${url}/api/v1/status/flags`))!).data;
      expect(flags["enable-feature"]).to.equal("agent,expand-external-labels");
      const loaded = parse(JSON.parse((await httpOk(`${url}/api/v1/status/config`))!).data.yaml);
      expect(loaded.global.external_labels).to.deep.include({ cluster: "blue", __replica__: REPLICAS[i] });
    }
  });

  it("regression: without expand-external-labels every replica would send the literal ${POD_NAME}, one replica name for both", async () => {
    const dataDir = join(dir, "no-expansion-data");
    mkdirSync(dataDir);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // Its own copy of the config, writing nowhere, so it adds no stream to the receiver.
    const configFile = join(dir, "no-expansion.yml");
    writeFileSync(configFile, agentConfig(await freePort(), "127.0.0.1:1"));
    const proc = startProcess("no-expansion", "prometheus", localArgs(agentServerFlags(), configFile, dataDir, port),
      { PATH: process.env.PATH, HOME: dir, [REPLICA_NAME_ENV]: REPLICAS[0] });
    processes.push(proc);
    await ready(proc, url);
    const loaded = parse(JSON.parse((await httpOk(`${url}/api/v1/status/config`))!).data.yaml);
    expect(loaded.global.external_labels.__replica__).to.equal("${POD_NAME}");
    await proc.stop();
  });

  it("delivers both replicas' streams to the receiver, each labelled with cluster and its __replica__", async () => {
    const streams = await waitFor("both replicas' series at the receiver", async () => {
      const result = await query(receiverUrl, `count by (cluster, __replica__) (${RUNNING_PODS})`);
      return result.length === 2 && result.every((r) => r.value[1] === "2") ? result : undefined;
    }, 10_000);
    expect(streams.map((s) => s.metric).sort((a, b) => a.__replica__.localeCompare(b.__replica__)))
      .to.deep.equal(REPLICAS.map((replica) => ({ cluster: "blue", __replica__: replica })));
    // Every shipped series carries both labels AMP deduplicates on.
    expect(await query(receiverUrl, 'count({__name__=~".+", cluster="", job!=""}) or count({__name__=~".+", __replica__="", job!=""})')).to.deep.equal([]);
  });

  it("sum() double-counts on a store that does not deduplicate; dropping __replica__ first counts once", async () => {
    // The dashboards' "Running pods" panel, on the raw (undeduplicated) streams: twice the truth.
    expect(await scalar(receiverUrl, `sum(${RUNNING_PODS})`)).to.equal(4);
    // Keeping one stream per series, as AMP's dedup does, gives the true two pods.
    expect(await scalar(receiverUrl, `sum(max without (__replica__) (${RUNNING_PODS}))`)).to.equal(2);
    expect(await scalar(receiverUrl, `count(count without (__replica__) (${RUNNING_PODS}))`)).to.equal(2);
  });
});
