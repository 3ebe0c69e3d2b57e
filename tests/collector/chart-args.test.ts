/**
 * The collector's Prometheus command line, as the pinned chart (prometheus 25.27.0) renders
 * it from collectorHelmValues, run with the real prometheus binary on loopback.
 *
 * The args come from the chart mirror (components/workload-collector/chart-server-args.ts).
 * Only machine paths change: the chart's config path becomes a temporary file holding the
 * rendered collector prometheus.yml, the storage / agent path a temporary directory; the
 * test adds --web.listen-address on 127.0.0.1 (the chart renders none, so in the pod
 * Prometheus listens on its default :9090).
 *
 * Prometheus versions: Debian ships 2.42, the chart runs 2.54.1. Every flag in these args
 * (config.file, storage.tsdb.path, storage.tsdb.retention.time, storage.agent.path,
 * web.console.libraries/templates, web.enable-lifecycle, enable-feature=agent, and the
 * added web.listen-address) is declared the same way in cmd/prometheus/main.go of v2.42.0
 * and v2.54.1, and both versions refuse server-only flags in agent mode with the same
 * message and exit code 3, so no flag needs version-specific handling here.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "fs";
import { rootCertificates } from "tls";
import { tmpdir } from "os";
import { join } from "path";
import { parse, stringify } from "yaml";
import {
  CHART_CONFIG_PATH,
  CHART_CONSOLE_LIBRARIES,
  CHART_CONSOLE_TEMPLATES,
  CHART_STORAGE_MOUNT_PATH,
  chartServerArgs,
  chartServerWorkload,
} from "../../components/workload-collector/chart-server-args";
import { agentServerFlags, collectorHelmValues, CollectorHelmSettings } from "../../components/workload-collector/helm-values";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { renderCollectorPrometheusConfig } from "../../components/workload-collector/prometheus-config";
import { freePort, httpOk, RunningProcess, startProcess, waitFor } from "../alert-path/processes";
import { requireTool } from "../support/tools";

const READY_WITHIN_MS = 20_000;
const CONSOLES = [`--web.console.libraries=${CHART_CONSOLE_LIBRARIES}`, `--web.console.templates=${CHART_CONSOLE_TEMPLATES}`];

function helmSettings(prometheusMode: "agent" | "server"): CollectorHelmSettings {
  return {
    serviceAccountName: "amp-collector",
    collectorRoleArn: "arn:aws:iam::310987654321:role/amp-collector-dev-payments",
    prometheusMode,
    configMapOverrideName: "prometheus-config",
  };
}

/**
 * The agent values as they were before defaultFlagsOverride: the agent feature passed as an
 * extra flag and an empty retention, which leaves the chart's --storage.tsdb.path in place.
 */
function valuesBeforeTheFix(): Record<string, unknown> {
  const values = collectorHelmValues(helmSettings("agent")) as { server: Record<string, unknown> };
  const { defaultFlagsOverride: _dropped, ...server } = values.server;
  return { ...values, server: { ...server, extraFlags: ["web.enable-lifecycle", "enable-feature=agent"], retention: "" } };
}

/**
 * The deployed prometheus.yml with two changes, both because this runs outside a cluster:
 *  - the service account directory (token, CA) is a temporary one, through the renderer's own
 *    serviceAccountDir setting; the CA is a real PEM so the scrape pools' TLS configs load;
 *  - kubernetes_sd_configs become empty static_configs: Debian builds prometheus without
 *    Kubernetes discovery and refuses the field at load time (the same swap as the promtool
 *    check in prometheus-config.test.ts). Everything else, remote_write with SigV4 included,
 *    is the rendered file.
 */
function localCollectorConfig(serviceAccountDir: string, remoteWritePort: number): string {
  const rendered = renderCollectorPrometheusConfig({
    accountName: "payments",
    clusterName: "blue",
    environment: "dev",
    scrapeInterval: "30s",
    // Loopback, nothing listens: remote writes fail and retry, which does not affect readiness.
    remoteWrite: {
      remoteWriteUrl: `http://127.0.0.1:${remoteWritePort}/workspaces/ws-0123456789/api/v1/remote_write`,
      region: "eu-west-1",
      ingestRoleArn: "arn:aws:iam::210987654321:role/amp-ingest-dev-payments",
    },
    metricAllowlist: collectorMetricAllowlist(),
    serviceAccountDir,
  });
  const config = parse(rendered);
  for (const job of config.scrape_configs) {
    if (job.kubernetes_sd_configs) {
      delete job.kubernetes_sd_configs;
      job.static_configs = [{ targets: [] }];
    }
  }
  return stringify(config);
}

/**
 * Prometheus resolves the SigV4 base credentials when it applies the config and fails the
 * load without any (in the pod, IRSA's web identity variables provide them). The child gets
 * AWS's documented example keys, a scratch HOME so no ~/.aws is read, and no instance
 * metadata lookups; nothing is ever signed for a real endpoint.
 */
function childEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_REGION: "eu-west-1",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** Swap exactly the chart's two machine paths; everything else is passed as rendered. */
function localArgs(chartArgs: string[], configFile: string, dataDir: string): string[] {
  let swapped = 0;
  const args = chartArgs.map((arg) => {
    if (arg === `--config.file=${CHART_CONFIG_PATH}`) {
      swapped++;
      return `--config.file=${configFile}`;
    }
    const storage = /^(--storage\.(?:tsdb|agent)\.path)=(.*)$/.exec(arg);
    if (storage && storage[2] === CHART_STORAGE_MOUNT_PATH) {
      swapped++;
      return `${storage[1]}=${dataDir}`;
    }
    return arg;
  });
  expect(swapped, `expected the chart's config and storage paths in ${JSON.stringify(chartArgs)}`).to.equal(2);
  return args;
}

async function jsonData(url: string): Promise<any> {
  const body = await httpOk(url);
  if (body === undefined) throw new Error(`GET ${url} was not 2xx`);
  return JSON.parse(body).data;
}

/** The exit code, once the process has exited and its output has been read to the end. */
function exitOf(proc: RunningProcess, timeoutMs: number): Promise<number | null> {
  const { child } = proc;
  const streamsDone = [child.stdout, child.stderr].every((stream) => !stream || stream.destroyed);
  if (child.exitCode !== null && streamsDone) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${proc.name} still running after ${timeoutMs} ms\n${proc.log()}`)), timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe("collector chart args: the chart mirror", () => {
  it("renders the chart defaults when no value is given", () => {
    expect(chartServerArgs({})).to.deep.equal([
      "--storage.tsdb.retention.time=15d",
      "--config.file=/etc/config/prometheus.yml",
      "--storage.tsdb.path=/data",
      ...CONSOLES,
      "--web.enable-lifecycle",
    ]);
  });

  it("emits a non-empty defaultFlagsOverride as it is and nothing else", () => {
    const override = ["--enable-feature=agent", "--config.file=/x.yml"];
    const server = {
      defaultFlagsOverride: override, extraFlags: ["web.enable-admin-api"], extraArgs: { "log.level": "debug" },
      retention: "1d", retentionSize: "1GB", prefixURL: "/p", baseURL: "https://p.example", storagePath: "/s",
    };
    expect(chartServerArgs({ server })).to.deep.equal(override);
  });

  it("treats an empty defaultFlagsOverride as absent", () => {
    expect(chartServerArgs({ server: { defaultFlagsOverride: [] } })).to.deep.equal(chartServerArgs({}));
  });

  it("renders extraFlags as --<flag> in order, and a given list replaces the chart's", () => {
    const args = chartServerArgs({ server: { extraFlags: ["storage.tsdb.wal-compression", "web.enable-admin-api"] } });
    expect(args.slice(-2)).to.deep.equal(["--storage.tsdb.wal-compression", "--web.enable-admin-api"]);
    expect(args).not.to.include("--web.enable-lifecycle");
    expect(chartServerArgs({ server: { extraFlags: [] } })).not.to.include("--web.enable-lifecycle");
  });

  it("omits retention when empty or null and renders retentionSize when set", () => {
    for (const retention of ["", null]) {
      const args = chartServerArgs({ server: { retention } });
      expect(args.filter((a) => a.startsWith("--storage.tsdb.retention"))).to.deep.equal([]);
    }
    expect(chartServerArgs({ server: { retention: "6h", retentionSize: "20GB" } }).slice(0, 2))
      .to.deep.equal(["--storage.tsdb.retention.time=6h", "--storage.tsdb.retention.size=20GB"]);
  });

  it("takes the TSDB path from storagePath, else from persistentVolume.mountPath", () => {
    expect(chartServerArgs({ server: { storagePath: "/prom" } })).to.include("--storage.tsdb.path=/prom");
    expect(chartServerArgs({ server: { persistentVolume: { mountPath: "/pv" } } })).to.include("--storage.tsdb.path=/pv");
    expect(chartServerArgs({ server: { configPath: "/etc/config/other.yml" } })).to.include("--config.file=/etc/config/other.yml");
  });

  it("renders extraArgs in key order, bare when the value is empty, numbers the way Go prints them", () => {
    const args = chartServerArgs({
      server: { extraFlags: [], extraArgs: { "web.max-connections": 1000000, "log.level": "debug", "web.enable-remote-write-receiver": null, "query.timeout": "" } },
    });
    expect(args.slice(-4)).to.deep.equal([
      "--log.level=debug", "--query.timeout", "--web.enable-remote-write-receiver", "--web.max-connections=1e+06",
    ]);
  });

  it("appends prefixURL and baseURL last", () => {
    const args = chartServerArgs({ server: { prefixURL: "/prometheus", baseURL: "https://example.test/prometheus" } });
    expect(args.slice(-2)).to.deep.equal(["--web.route-prefix=/prometheus", "--web.external-url=https://example.test/prometheus"]);
  });

  it("renders the StatefulSet's args with prefixURL first (sts.yaml 157-159) and the override the same way", () => {
    const server = { statefulSet: { enabled: true }, prefixURL: "/prometheus", baseURL: "https://example.test/prometheus" };
    const args = chartServerArgs({ server });
    expect(args[0]).to.equal("--web.route-prefix=/prometheus");
    expect(args.slice(1)).to.deep.equal([
      "--storage.tsdb.retention.time=15d", "--config.file=/etc/config/prometheus.yml", "--storage.tsdb.path=/data",
      ...CONSOLES, "--web.enable-lifecycle", "--web.external-url=https://example.test/prometheus",
    ]);
    expect(chartServerArgs({ server: { statefulSet: { enabled: true } } })).to.deep.equal(chartServerArgs({}));
    expect(chartServerArgs({ server: { statefulSet: { enabled: true }, defaultFlagsOverride: ["--a"] } })).to.deep.equal(["--a"]);
  });

  it("mirrors the workload: Deployment with one shared claim by default, StatefulSet with a claim per pod, PDB and anti-affinity when asked", () => {
    expect(chartServerWorkload({})).to.deep.equal({ kind: "Deployment", replicas: 1, storage: "shared-claim", env: [] });
    expect(chartServerWorkload({ server: { persistentVolume: { enabled: false } } }).storage).to.equal("empty-dir");
    const env = [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }];
    expect(chartServerWorkload({
      server: {
        statefulSet: { enabled: true }, replicaCount: 3, env, podAntiAffinity: "hard",
        podDisruptionBudget: { enabled: true },
      },
    })).to.deep.equal({
      kind: "StatefulSet", replicas: 3, storage: "claim-per-pod", env,
      podAntiAffinity: { mode: "required", topologyKey: "kubernetes.io/hostname", matchLabels: { "app.kubernetes.io/name": "prometheus" } },
      // pdb.yaml 2: every key but `enabled`, the chart's maxUnavailable default included.
      podDisruptionBudget: { maxUnavailable: 1 },
    });
    expect(chartServerWorkload({ server: { podAntiAffinity: "soft", podAntiAffinityTopologyKey: "topology.kubernetes.io/zone" } }).podAntiAffinity)
      .to.deep.include({ mode: "preferred", topologyKey: "topology.kubernetes.io/zone" });
  });

  it("gives one collector replica today's Deployment, and two an HA StatefulSet with POD_NAME, a PDB, anti-affinity and label expansion", () => {
    for (const mode of ["agent", "server"] as const) {
      expect(collectorHelmValues({ ...helmSettings(mode), replicas: 1 })).to.deep.equal(collectorHelmValues(helmSettings(mode)));
      expect(chartServerWorkload(collectorHelmValues(helmSettings(mode)))).to.deep.include({ kind: "Deployment", replicas: 1 });
      const ha = chartServerWorkload(collectorHelmValues({ ...helmSettings(mode), replicas: 2 }));
      expect(ha).to.deep.include({ kind: "StatefulSet", replicas: 2, storage: "claim-per-pod" });
      expect(ha.env).to.deep.equal([{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }]);
      expect(ha.podDisruptionBudget).to.deep.equal({ maxUnavailable: 1 });
      expect(ha.podAntiAffinity).to.deep.include({ mode: "preferred", topologyKey: "kubernetes.io/hostname" });
    }
    expect(chartServerArgs(collectorHelmValues({ ...helmSettings("agent"), replicas: 2 })))
      .to.deep.equal(agentServerFlags({ expandExternalLabels: true }));
    expect(agentServerFlags({ expandExternalLabels: true })[0]).to.equal("--enable-feature=agent,expand-external-labels");
    expect(chartServerArgs(collectorHelmValues({ ...helmSettings("server"), replicas: 2 })).slice(-2))
      .to.deep.equal(["--web.enable-lifecycle", "--enable-feature=expand-external-labels"]);
    expect(() => collectorHelmValues({ ...helmSettings("agent"), replicas: 0 })).to.throw(/whole number from 1/);
  });

  it("refuses what it does not mirror", () => {
    expect(() => chartServerArgs({ server: { defaultFlagsOverride: [42] } })).to.throw(/must be a string/);
    expect(() => chartServerArgs({ server: { extraFlags: "web.enable-lifecycle" } })).to.throw(/must be a list/);
  });

  it("gives the collector's agent values exactly the agent flags, and its server values retention and a TSDB", () => {
    expect(chartServerArgs(collectorHelmValues(helmSettings("agent")))).to.deep.equal(agentServerFlags());
    expect(agentServerFlags()).to.deep.equal([
      "--enable-feature=agent",
      "--config.file=/etc/config/prometheus.yml",
      "--storage.agent.path=/data",
      ...CONSOLES,
      "--web.enable-lifecycle",
    ]);
    expect(chartServerArgs(collectorHelmValues(helmSettings("server")))).to.deep.equal([
      "--storage.tsdb.retention.time=6h",
      "--config.file=/etc/config/prometheus.yml",
      "--storage.tsdb.path=/data",
      ...CONSOLES,
      "--web.enable-lifecycle",
    ]);
  });

  it("renders --storage.tsdb.path next to the agent feature for the values before the fix", () => {
    const args = chartServerArgs(valuesBeforeTheFix());
    expect(args).to.include("--enable-feature=agent");
    expect(args).to.include(`--storage.tsdb.path=${CHART_STORAGE_MOUNT_PATH}`);
  });
});

describe("collector chart args: the real prometheus binary", function () {
  this.timeout(60_000);
  let dir: string;
  let serviceAccountDir: string;
  let configFile: string;
  const processes: RunningProcess[] = [];

  before(async function () {
    requireTool(this, "prometheus", "prometheus");
    dir = mkdtempSync(join(tmpdir(), "chart-args-"));
    serviceAccountDir = join(dir, "serviceaccount");
    mkdirSync(serviceAccountDir);
    writeFileSync(join(serviceAccountDir, "token"), "test-token");
    writeFileSync(join(serviceAccountDir, "ca.crt"), rootCertificates[0]);
    mkdirSync(join(dir, "home"));
    configFile = join(dir, "prometheus.yml");
    writeFileSync(configFile, localCollectorConfig(serviceAccountDir, await freePort()));
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function start(name: string, chartArgs: string[]): Promise<{ proc: RunningProcess; url: string; dataDir: string }> {
    const dataDir = join(dir, `${name}-data`);
    mkdirSync(dataDir);
    const port = await freePort();
    const args = [...localArgs(chartArgs, configFile, dataDir), `--web.listen-address=127.0.0.1:${port}`];
    const proc = startProcess(name, "prometheus", args, childEnv(join(dir, "home")));
    processes.push(proc);
    return { proc, url: `http://127.0.0.1:${port}`, dataDir };
  }

  /** Ready within the bound, or fail at once (with its log) if the process exits first. */
  async function ready(proc: RunningProcess, url: string): Promise<void> {
    let stopWatching = () => {};
    const exited = new Promise<never>((_, reject) => {
      const onClose = (code: number | null) => reject(new Error(`${proc.name} exited with ${code} before it was ready`));
      proc.child.once("close", onClose);
      stopWatching = () => proc.child.off("close", onClose);
    });
    try {
      await Promise.race([
        exited,
        waitFor(`${proc.name} /-/ready`, async () => ((await httpOk(`${url}/-/ready`)) === undefined ? undefined : true), READY_WITHIN_MS),
      ]);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${proc.log()}`);
    } finally {
      stopWatching();
    }
  }

  async function reloads(url: string): Promise<number> {
    const response = await fetch(`${url}/-/reload`, { method: "POST", signal: AbortSignal.timeout(5_000) });
    return response.status;
  }

  it("agent mode: the chart's args start a ready Prometheus agent writing its WAL to the agent path", async () => {
    const chartArgs = chartServerArgs(collectorHelmValues(helmSettings("agent")));
    const { proc, url, dataDir } = await start("agent", chartArgs);
    await ready(proc, url);
    expect(proc.log()).to.match(/Starting Prometheus Agent.*mode=agent/);
    const flags = await jsonData(`${url}/api/v1/status/flags`);
    expect(flags["enable-feature"]).to.equal("agent");
    expect(flags["storage.agent.path"]).to.equal(dataDir);
    expect(flags["config.file"]).to.equal(configFile);
    expect((await jsonData(`${url}/api/v1/status/runtimeinfo`)).reloadConfigSuccess).to.equal(true);
    expect(readdirSync(dataDir)).to.include("wal");
    // An agent has no local TSDB to query.
    const query = await fetch(`${url}/api/v1/query?query=up`, { signal: AbortSignal.timeout(5_000) });
    expect(query.status).to.equal(422);
    expect(await query.text()).to.include("unavailable with Prometheus Agent");
    // The chart's configmap-reload sidecar reloads through this endpoint.
    expect(await reloads(url)).to.equal(200);
  });

  it("server mode: the chart's args start a ready Prometheus server with the 6h retention and the TSDB path", async () => {
    const chartArgs = chartServerArgs(collectorHelmValues(helmSettings("server")));
    const { proc, url, dataDir } = await start("server", chartArgs);
    await ready(proc, url);
    const flags = await jsonData(`${url}/api/v1/status/flags`);
    expect(flags["enable-feature"]).to.equal("");
    expect(flags["storage.tsdb.path"]).to.equal(dataDir);
    expect(flags["storage.tsdb.retention.time"]).to.equal("6h");
    expect((await jsonData(`${url}/api/v1/status/runtimeinfo`)).reloadConfigSuccess).to.equal(true);
    expect(proc.log()).to.include("Server is ready to receive web requests");
    expect(await reloads(url)).to.equal(200);
  });

  it("regression: the agent values without defaultFlagsOverride make the real binary exit in agent mode", async () => {
    const chartArgs = chartServerArgs(valuesBeforeTheFix());
    const { proc } = await start("agent-before-fix", chartArgs);
    const code = await exitOf(proc, READY_WITHIN_MS);
    expect(code, proc.log()).to.not.equal(0);
    expect(code, proc.log()).to.not.equal(null);
    expect(proc.log()).to.include("The following flag(s) can not be used in agent mode");
    expect(proc.log()).to.include('"--storage.tsdb.path"');
  });
});
