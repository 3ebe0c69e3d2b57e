/**
 * The bench's smoke run (short window, a 6-pod node, N up to 10) as a child process: it must finish and
 * its results must hang together. No timing is asserted: this machine is shared.
 */
import { spawn } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { expect } from "chai";
import type { BenchResults } from "../../bench/run";
import { requireTool } from "../support/tools";

const ROOT = join(__dirname, "..", "..");
const SMOKE_TIMEOUT_MS = 180_000;

describe("bench --smoke", function () {
  this.timeout(SMOKE_TIMEOUT_MS + 10_000);
  let dir: string;
  let results: BenchResults;

  before(async function () {
    requireTool(this, "prometheus", "prometheus");
    requireTool(this, "prometheus-node-exporter", "prometheus-node-exporter");
    dir = mkdtempSync(join(tmpdir(), "bench-smoke-"));
    const out = join(dir, "results.json");
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", join(ROOT, "bench", "run.ts"), "--smoke", "--out", out], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGINT"), SMOKE_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    clearTimeout(timer);
    if (code !== 0) throw new Error(`bench --smoke exited with ${code}:\n${output.slice(-3000)}`);
    expect(output).to.contain("### Ingestion");
    results = JSON.parse(readFileSync(out, "utf8")) as BenchResults;
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("ships fewer series and samples with the allow-list than without", () => {
    const { filtered, unfiltered, reduction } = results.ingestion;
    expect(results.mode).to.equal("smoke");
    expect(filtered.activeSeries).to.be.greaterThan(0);
    expect(filtered.activeSeries).to.be.lessThan(unfiltered.activeSeries);
    expect(filtered.samplesPerSecond).to.be.lessThan(unfiltered.samplesPerSecond);
    expect(reduction.series).to.be.greaterThan(1);
    expect(reduction.samples).to.be.greaterThan(1);
    expect(results.ingestion.costPerNodeMonthUsd.filtered).to.be.lessThan(results.ingestion.costPerNodeMonthUsd.unfiltered);
  });

  it("finds every metric the rules and dashboards use in the filtered receiver, Kubernetes exporters included", () => {
    const used = results.ingestion.usedMetrics;
    expect(used.checked).to.equal(used.names.length).and.to.be.greaterThan(40);
    expect(used.missing).to.deep.equal([]);
    expect(used.notProducedLocally).to.equal(0);
    expect(used.names.filter((n) => n.status === "present").map((n) => n.name)).to.include.members(["up", "node_cpu_seconds_total", "container_memory_working_set_bytes", "kube_pod_status_phase", "http_request_duration_seconds_bucket"]);
  });

  it("gives every rule and dashboard query the same answer from the filtered receiver as from everything", () => {
    const { equivalence } = results.ingestion;
    expect(equivalence.mismatches).to.deep.equal([]);
    expect(equivalence.equivalent).to.equal(true);
    expect(equivalence.probes).to.be.greaterThan(equivalence.queries);
    expect(equivalence.evaluations).to.equal(equivalence.probes * equivalence.instants);
    // Most probes return data: equality of empty results would prove little.
    expect(equivalence.nonEmptyProbes).to.be.greaterThan(equivalence.probes / 2);
  });

  it("catches a filter that drops a label value the queries read, naming the queries", () => {
    const { control } = results.ingestion;
    expect(control.mismatches).to.be.greaterThan(0);
    // The dropped phase="Running" series: a gauge, so every probe of the short window sees it.
    // The dropped latency buckets are caught only when the window holds enough requests for a
    // non-empty rate, which a short window does not always do: the full bench reports them.
    expect(control.caughtBy).to.include.members([
      "dashboard bench-bench-cluster: Running pods",
      "recording rule cluster:kube_pod_container_resource_requests_cpu:ratio_allocatable",
    ]);
  });

  it("projects clusters of 10, 50 and 200 nodes from the per-pod, per-node and per-cluster figures", () => {
    const { clusters, filtered, unfiltered } = results.ingestion;
    expect(clusters.map((c) => c.nodes)).to.deep.equal([10, 50, 200]);
    for (const c of clusters) {
      const a = filtered.attribution;
      expect(c.filtered.samplesPerSecond).to.be.closeTo(c.nodes * (a.perNode.samplesPerSecond + c.podsPerNode * a.perPod.samplesPerSecond) + a.perCluster.samplesPerSecond, 1e-6);
      expect(c.filtered.samplesPerSecond).to.be.lessThan(c.everything.samplesPerSecond);
      expect(c.filtered.ingestionUsdPerMonth).to.be.lessThan(c.everything.ingestionUsdPerMonth);
    }
    expect(filtered.attribution.perPod.series).to.be.greaterThan(0);
    expect(unfiltered.attribution.perPod.series).to.be.greaterThan(filtered.attribution.perPod.series);
  });

  it("plans more stacks for more accounts while the largest stack keeps its size, and one more account changes few shared resources", () => {
    const [one, ten] = results.scale.points;
    expect([one.accounts, ten.accounts]).to.deep.equal([1, 10]);
    // Per account: its hub stack and its workload stack; plus the shared and query stacks.
    expect([one.stacks, ten.stacks]).to.deep.equal([4, 22]);
    expect(ten.resources).to.be.greaterThan(one.resources);
    expect(results.scale.largestStackFlat).to.equal(true);
    expect(ten.largestStack.resources).to.equal(one.largestStack.resources);
    expect(ten.perKind["hub-account"]!.largest).to.equal(one.perKind["hub-account"]!.largest);
    const changed = ten.onboarding!.reduce((n, s) => n + s.added + s.removed + s.changed.length, 0);
    // One input of one query-stack resource: the AMP usage dashboard that charts every workspace.
    expect(changed).to.equal(1);
  });

  it("delivers the whole notifier batch from a bundle that leaves only the AWS SDK and built-ins external", () => {
    const { notifier } = results;
    expect(notifier.batch.delivered).to.equal(1000);
    expect(notifier.batch.requests.webhook).to.equal(1000);
    expect(notifier.bundleBytes).to.be.greaterThan(0);
    expect(notifier.externalImports.every((m) => m.startsWith("@aws-sdk/") || !m.includes("/"))).to.equal(true);
    expect(notifier.coldImportMs.runs).to.have.length(5);
  });

  it("passes every proxied remote-write request to the receiver after decoding and checking it", () => {
    const { ingestProxy } = results;
    expect(ingestProxy.endToEnd.accepted).to.equal(ingestProxy.endToEnd.requests).and.to.be.greaterThan(0);
    expect(ingestProxy.decode.iterations).to.be.greaterThan(0);
    expect(ingestProxy.requestBytes).to.be.greaterThan(0);
  });
});
