import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse, stringify } from "yaml";
import { COLLECTOR_METRIC_ALLOWLIST } from "../../components/workload-collector/metric-allowlist";
import { allowlistRegex, renderCollectorPrometheusConfig } from "../../components/workload-collector/prometheus-config";
import { planOf } from "../support/plans";
import { requireTool } from "../support/tools";
import { COLLECTOR_SERIES_CUTS, seriesCutRelabelRules } from "../../components/workload-collector/series-cuts";

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

  for (const environment of ["dev", "prod"]) {
    it(`every deployed prometheus.yml of ${environment} passes promtool check config (agent and server)`, async () => {
      const plan = await planOf(environment);
      const configs = plan.stacks.flatMap((s) => s.artifacts.filter((a) => a.path.endsWith("prometheus.yml")));
      expect(configs.length).to.be.greaterThan(0);
      for (const artifact of configs) {
        const file = join(saDir, `${environment}-${artifact.path.replace(/\W/g, "_")}.yml`);
        const checkable = checkableCopy(artifact.content, saDir);
        expect(parse(checkable).remote_write).to.deep.equal(parse(artifact.content).remote_write);
        // The deployed remote_write carries the series cuts after the allow-list.
        const relabels = parse(artifact.content).remote_write[0].write_relabel_configs as Array<{ action: string; regex: string }>;
        expect(relabels.length, artifact.path).to.equal(1 + seriesCutRelabelRules(COLLECTOR_SERIES_CUTS).length);
        expect(relabels.at(-1)).to.deep.equal({ regex: "__tmp_read_.*", action: "labeldrop" });
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
    const regex = new RegExp(`^(?:${allowlistRegex(COLLECTOR_METRIC_ALLOWLIST)})$`);
    for (const name of COLLECTOR_METRIC_ALLOWLIST) expect(regex.test(name), name).to.equal(true);
    expect(regex.test("up_extra")).to.equal(false);
    expect(regex.test("go_gc_duration_seconds")).to.equal(false);
    expect(() => allowlistRegex([])).to.throw(/empty/);
  });
});

describe("collector Prometheus configuration, as rendered", () => {
  const rendered = parse(renderCollectorPrometheusConfig({
    accountName: "a", clusterName: "c", environment: "dev", scrapeInterval: "30s",
    remoteWrite: { remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write", region: "eu-west-1", ingestRoleArn: "arn:aws:iam::111111111111:role/x" },
    metricAllowlist: ["up", "node_load1"],
  })) as { scrape_configs: Record<string, any>[]; remote_write: Record<string, any>[] };

  // Without source_labels the keep rule matches the regex against an empty string and drops every sample.
  it("remote_write keeps only the allow-listed metric names, matched on __name__", () => {
    expect(rendered.remote_write).to.have.length(1);
    expect(rendered.remote_write[0].write_relabel_configs).to.deep.equal([
      { source_labels: ["__name__"], regex: allowlistRegex(["up", "node_load1"]), action: "keep" },
    ]);
  });

  // The kubelet serves /metrics and /metrics/cadvisor only over TLS, to a bearer token of the service account.
  for (const jobName of ["kubelet", "cadvisor"]) {
    it(`scrapes the ${jobName} over https with the service account's token and CA`, () => {
      const job = rendered.scrape_configs.find((j) => j.job_name === jobName);
      expect(job, jobName).to.not.equal(undefined);
      expect(job!.scheme).to.equal("https");
      expect(job!.authorization).to.deep.equal({ credentials_file: `${SA_DIR}/token` });
      expect(job!.tls_config).to.deep.equal({ ca_file: `${SA_DIR}/ca.crt` });
    });
  }
});
