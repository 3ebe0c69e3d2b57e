import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse, stringify } from "yaml";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { allowlistRegex, CollectorConfigSettings, renderCollectorPrometheusConfig } from "../../components/workload-collector/prometheus-config";
import { planOf } from "../support/plans";
import { requireTool } from "../support/tools";
import { COLLECTOR_SERIES_CUTS, seriesCutRelabelRules } from "../../components/workload-collector/series-cuts";
import { HUB_INGEST_TOKEN_FILE } from "../../components/workload-collector/hub-credentials";

const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * Debian's promtool is built without Kubernetes service discovery, and checks that
 * credential files exist. The checked copy therefore points the service account files at a
 * temporary directory and swaps kubernetes_sd_configs for empty static_configs; every other
 * line, including the whole remote_write section, is the deployed file.
 */
function checkableCopy(deployed: string, saDir: string): string {
  const config = parse(deployed.split(SA_DIR).join(saDir));
  for (const job of config.scrape_configs) {
    if (job.kubernetes_sd_configs) {
      delete job.kubernetes_sd_configs;
      job.static_configs = [{ targets: [] }];
    }
  }
  return stringify(config);
}

function promtool(args: string[]): { status: number | null; output: string } {
  const run = spawnSync("promtool", args, { encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe("collector Prometheus configuration", () => {
  let saDir: string;
  before(function () {
    requireTool(this, "promtool", "prometheus");
    saDir = mkdtempSync(join(tmpdir(), "sa-"));
    writeFileSync(join(saDir, "token"), "test-token");
    writeFileSync(join(saDir, "ca.crt"), "test-ca");
  });

  for (const environment of ["dev", "prod", "selfhosted"]) {
    it(`every deployed prometheus.yml of ${environment} passes promtool check config (agent and server)`, async () => {
      const plan = await planOf(environment);
      // The collectors' files (a self-hosted hub's stack ships its central server's prometheus.yml too, checked with the hub).
      const configs = plan.stacks.filter((s) => s.kind === "workload").flatMap((s) => s.artifacts.filter((a) => a.path.endsWith("prometheus.yml")));
      expect(configs.length).to.be.greaterThan(0);
      for (const artifact of configs) {
        const file = join(saDir, `${environment}-${artifact.path.replace(/\W/g, "_")}.yml`);
        const checkable = checkableCopy(artifact.content, saDir);
        expect(parse(checkable).remote_write).to.deep.equal(parse(artifact.content).remote_write);
        // The deployed remote_write carries the series cuts after the allow-list.
        const relabels = parse(artifact.content).remote_write[0].write_relabel_configs as Array<{ action: string; regex: string }>;
        expect(relabels.length, artifact.path).to.equal(1 + seriesCutRelabelRules(COLLECTOR_SERIES_CUTS).length);
        expect(relabels.at(-1)).to.deep.equal({ regex: "__tmp_read_.*", action: "labeldrop" });
        // A self-hosted hub's collector sends the account's token from the file its pod's credentials step writes.
        for (const section of parse(artifact.content).remote_write) {
          expect(Boolean(section.sigv4), artifact.path).to.equal(environment !== "selfhosted");
          if (environment === "selfhosted") expect(section.authorization, artifact.path).to.deep.equal({ type: "Bearer", credentials_file: HUB_INGEST_TOKEN_FILE });
        }
        writeFileSync(file, checkable);
        for (const mode of [[], ["--agent"]]) {
          const result = promtool(["check", "config", ...mode, file]);
          expect(result.status, result.output).to.equal(0);
          expect(result.output).to.include("SUCCESS");
        }
      }
    });
  }

  it("promtool rejects a broken remote_write section (the check can fail)", () => {
    const rendered = renderCollectorPrometheusConfig({
      accountName: "a", clusterName: "c", environment: "dev", scrapeInterval: "30s",
      remoteWrite: { remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write", region: "eu-west-1", ingestRoleArn: "arn:aws:iam::111111111111:role/x" },
      metricAllowlist: ["up"],
    });
    const broken = parse(checkableCopy(rendered, saDir));
    broken.remote_write[0].sigv4.bogus_field = true;
    const file = join(saDir, "broken.yml");
    writeFileSync(file, stringify(broken));
    expect(promtool(["check", "config", file]).status).to.not.equal(0);
  });

  it("keeps exactly the allow-listed names: the keep regex matches each and nothing longer", () => {
    const regex = new RegExp(`^(?:${allowlistRegex(collectorMetricAllowlist())})$`);
    for (const name of collectorMetricAllowlist()) expect(regex.test(name), name).to.equal(true);
    expect(regex.test("up_extra")).to.equal(false);
    expect(regex.test("go_gc_duration_seconds")).to.equal(false);
    expect(() => allowlistRegex([])).to.throw(/empty/);
  });
});

describe("collector Prometheus configuration, as rendered", () => {
  const ampTarget = { remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write", region: "eu-west-1", ingestRoleArn: "arn:aws:iam::111111111111:role/x" };
  const settings: CollectorConfigSettings = {
    accountName: "payments", clusterName: "payments-eks", environment: "dev", scrapeInterval: "30s",
    remoteWrite: ampTarget,
    metricAllowlist: ["up", "node_load1"],
  };
  // Rendered in each test (not when the file loads), so mutation testing attributes each render to its test.
  const render = (overrides: Partial<CollectorConfigSettings> = {}) =>
    parse(renderCollectorPrometheusConfig({ ...settings, ...overrides })) as { global: Record<string, any>; scrape_configs: Record<string, any>[]; remote_write: Record<string, any>[] };
  const job = (config: ReturnType<typeof render>, jobName: string) => {
    const found = config.scrape_configs.find((j) => j.job_name === jobName);
    expect(found, jobName).to.not.equal(undefined);
    return found!;
  };
  /** Prometheus relabelling: the source labels joined with ";", matched by the fully anchored regex. */
  const relabelMatches = (rule: Record<string, any>, labels: Record<string, string>) =>
    new RegExp(`^(?:${rule.regex ?? "(.*)"})$`).test((rule.source_labels as string[]).map((l) => labels[l] ?? "").join(rule.separator ?? ";"));

  // Without source_labels the keep rule matches the regex against an empty string and drops every sample.
  it("remote_write keeps only the allow-listed metric names, matched on __name__", () => {
    const rendered = render();
    expect(rendered.remote_write).to.have.length(1);
    expect(rendered.remote_write[0].write_relabel_configs).to.deep.equal([
      { source_labels: ["__name__"], regex: allowlistRegex(["up", "node_load1"]), action: "keep" },
    ]);
  });

  it("remote_write applies the series cuts after the allow-list, and none when there are none", () => {
    const [cut] = render({ seriesCuts: COLLECTOR_SERIES_CUTS }).remote_write;
    expect(cut.write_relabel_configs).to.deep.equal([
      { source_labels: ["__name__"], regex: allowlistRegex(["up", "node_load1"]), action: "keep" },
      ...seriesCutRelabelRules(COLLECTOR_SERIES_CUTS),
    ]);
    expect(seriesCutRelabelRules(COLLECTOR_SERIES_CUTS).length).to.be.greaterThan(0);
  });

  it("remote_write goes to the workspace, signed for the region through the ingest role, with AMP's recommended queue", () => {
    const [remoteWrite] = render().remote_write;
    expect(remoteWrite.url).to.equal(ampTarget.remoteWriteUrl);
    expect(remoteWrite.sigv4).to.deep.equal({ region: "eu-west-1", role_arn: "arn:aws:iam::111111111111:role/x" });
    expect(remoteWrite.queue_config).to.deep.equal({ max_samples_per_send: 1000, max_shards: 200, capacity: 2500 });
  });

  it("labels every series with its account, cluster and environment, and with __replica__ only in an HA group", () => {
    const single = render();
    expect(single.global.scrape_interval).to.equal("30s");
    expect(single.global.external_labels).to.deep.equal({ account: "payments", cluster: "payments-eks", environment: "dev" });
    const replica = render({ replicaLabel: "$(POD_NAME)", scrapeInterval: "15s" });
    expect(replica.global.scrape_interval).to.equal("15s");
    expect(replica.global.external_labels).to.deep.equal({ account: "payments", cluster: "payments-eks", environment: "dev", __replica__: "$(POD_NAME)" });
  });

  // The kubelet serves /metrics and /metrics/cadvisor only over TLS, to a bearer token of the service account.
  for (const jobName of ["kubelet", "cadvisor"]) {
    it(`scrapes the ${jobName} over https with the service account's token and CA`, () => {
      const scraped = job(render(), jobName);
      expect(scraped.scheme).to.equal("https");
      expect(scraped.authorization).to.deep.equal({ credentials_file: `${SA_DIR}/token` });
      expect(scraped.tls_config).to.deep.equal({ ca_file: `${SA_DIR}/ca.crt` });
      expect(scraped.kubernetes_sd_configs).to.deep.equal([{ role: "node" }]);
      expect(job(render({ serviceAccountDir: "/sa" }), jobName).authorization).to.deep.equal({ credentials_file: "/sa/token" });
    });
  }

  it("scrapes cAdvisor on its own path, and keeps node labels on kubelet and cAdvisor series", () => {
    const config = render();
    expect(job(config, "cadvisor").metrics_path).to.equal("/metrics/cadvisor");
    expect(job(config, "kubelet")).to.not.have.property("metrics_path");
    for (const name of ["kubelet", "cadvisor"]) expect(job(config, name).relabel_configs).to.deep.equal([{ action: "labelmap", regex: "__meta_kubernetes_node_label_(.+)" }]);
  });

  it("scrapes itself, and discovers exporters by their service's app name and port", () => {
    const config = render();
    expect(job(config, "prometheus").static_configs).to.deep.equal([{ targets: ["localhost:9090"] }]);
    const [nodeKeep, nodeLabel, instanceLabel] = job(config, "node-exporter").relabel_configs;
    expect(nodeKeep.action).to.equal("keep");
    expect(relabelMatches(nodeKeep, { __meta_kubernetes_service_label_app_kubernetes_io_name: "prometheus-node-exporter" })).to.equal(true);
    expect(relabelMatches(nodeKeep, { __meta_kubernetes_service_label_app_kubernetes_io_name: "kube-state-metrics" })).to.equal(false);
    expect([nodeLabel, instanceLabel].map((r) => [r.source_labels, r.target_label])).to.deep.equal([
      [["__meta_kubernetes_pod_node_name"], "node"], [["__meta_kubernetes_pod_node_name"], "instance"],
    ]);
    const ksm = job(config, "kube-state-metrics");
    expect(ksm.honor_labels).to.equal(true);
    const [appKeep, portKeep] = ksm.relabel_configs;
    expect([appKeep.action, portKeep.action]).to.deep.equal(["keep", "keep"]);
    expect(relabelMatches(appKeep, { __meta_kubernetes_service_label_app_kubernetes_io_name: "kube-state-metrics" })).to.equal(true);
    expect(relabelMatches(appKeep, { __meta_kubernetes_service_label_app_kubernetes_io_name: "prometheus-node-exporter" })).to.equal(false);
    expect(relabelMatches(portKeep, { __meta_kubernetes_endpoint_port_name: "http" })).to.equal(true);
    expect(relabelMatches(portKeep, { __meta_kubernetes_endpoint_port_name: "telemetry" })).to.equal(false);
    for (const name of ["node-exporter", "kube-state-metrics", "annotated-services"]) expect(job(config, name).kubernetes_sd_configs).to.deep.equal([{ role: "endpoints" }]);
  });

  it("scrapes annotated services on their annotated path and port, labelled with namespace, service and pod", () => {
    const [scrapeKeep, path, address, ...labels] = job(render(), "annotated-services").relabel_configs;
    expect(scrapeKeep.action).to.equal("keep");
    expect(relabelMatches(scrapeKeep, { __meta_kubernetes_service_annotation_prometheus_io_scrape: "true" })).to.equal(true);
    expect(relabelMatches(scrapeKeep, { __meta_kubernetes_service_annotation_prometheus_io_scrape: "false" })).to.equal(false);
    expect(path.target_label).to.equal("__metrics_path__");
    expect(relabelMatches(path, { __meta_kubernetes_service_annotation_prometheus_io_path: "/custom" })).to.equal(true);
    expect(relabelMatches(path, {}), "no annotation: the default path stays").to.equal(false);
    // The address keeps its host and takes the annotated port, with or without a port before.
    const rewrite = (labelValues: Record<string, string>) => {
      const joined = (address.source_labels as string[]).map((l) => labelValues[l] ?? "").join(";");
      return joined.replace(new RegExp(`^(?:${address.regex})$`), address.replacement);
    };
    expect(address.target_label).to.equal("__address__");
    expect(rewrite({ __address__: "10.0.0.7:8080", __meta_kubernetes_service_annotation_prometheus_io_port: "9102" })).to.equal("10.0.0.7:9102");
    expect(rewrite({ __address__: "10.0.0.7", __meta_kubernetes_service_annotation_prometheus_io_port: "9102" })).to.equal("10.0.0.7:9102");
    expect(labels.map((r: Record<string, any>) => [r.source_labels, r.target_label])).to.deep.equal([
      [["__meta_kubernetes_namespace"], "namespace"], [["__meta_kubernetes_service_name"], "service"], [["__meta_kubernetes_pod_name"], "pod"],
    ]);
  });

  it("the keep regex lists each name once, escaped: a dot in a name matches only a dot", () => {
    expect(allowlistRegex(["up", "b", "up"])).to.equal("b|up");
    const regex = new RegExp(`^(?:${allowlistRegex(["a.b", "c+"])})$`);
    expect(regex.test("a.b")).to.equal(true);
    expect(regex.test("aXb")).to.equal(false);
    expect(regex.test("c+")).to.equal(true);
    expect(regex.test("cc")).to.equal(false);
  });

  it("a rendered config with a replica label and another service account directory passes promtool (agent and server)", function () {
    requireTool(this, "promtool", "prometheus");
    const saDir = mkdtempSync(join(tmpdir(), "sa-"));
    writeFileSync(join(saDir, "token"), "test-token");
    writeFileSync(join(saDir, "ca.crt"), "test-ca");
    const file = join(saDir, "prometheus.yml");
    writeFileSync(file, checkableCopy(renderCollectorPrometheusConfig({ ...settings, serviceAccountDir: saDir, replicaLabel: "replica-0" }), saDir));
    for (const mode of [[], ["--agent"]]) {
      const result = promtool(["check", "config", ...mode, file]);
      expect(result.status, result.output).to.equal(0);
    }
  });
});
