/**
 * The bench's generated exporters: promtool parses every page, counters advance and gauges
 * move between scrapes, the per-pod shape scales with the pods, and every metric the rules
 * and dashboards read from Kubernetes exporters is produced.
 */
import { spawnSync } from "child_process";
import { expect } from "chai";
import { cadvisorFamilies } from "../../bench/targets/cadvisor";
import { Family, renderExposition } from "../../bench/targets/exposition";
import { instrumentedServiceFamilies } from "../../bench/targets/instrumented-service";
import { kubeletFamilies } from "../../bench/targets/kubelet";
import { kubeletResourceFamilies } from "../../bench/targets/kubelet-resource";
import { kubeStateMetricsFamilies } from "../../bench/targets/kube-state-metrics";
import { NodeModel, buildNodeModel } from "../../bench/targets/node-model";
import { usedMetricNames } from "../../bench/used-metrics";
import { requireTool } from "../support/tools";

type Page = (model: NodeModel, at: number) => Family[];
const PAGES: Record<string, Page> = {
  "kubelet /metrics/cadvisor": (m, at) => cadvisorFamilies(m, () => at),
  "kube-state-metrics": (m, at) => kubeStateMetricsFamilies(m, () => at),
  "kubelet /metrics": (m, at) => kubeletFamilies(m, () => at),
  "kubelet /metrics/resource": (m, at) => kubeletResourceFamilies(m, () => at),
  "instrumented service": (m, at) => instrumentedServiceFamilies(m.pods.find((p) => p.service)!, () => at),
};

/** cAdvisor's own names that promtool's linter flags; they are upstream's, kept as is. */
const UPSTREAM_LINT = [
  "container_cpu_load_d_average_10s metric names should not contain abbreviated units",
  'container_fs_inodes_total non-counter metrics should not have "_total" suffix',
  'container_memory_failcnt counter metrics should have "_total" suffix',
];

const model = buildNodeModel({ nodeName: "ip-10-0-0-5.ec2.internal", pods: 8, containersPerPod: 2 });

function values(families: Family[]): Map<string, { type: string; value: number }> {
  const out = new Map<string, { type: string; value: number }>();
  for (const f of families) for (const s of f.samples) out.set(`${f.name}${s.suffix ?? ""}${JSON.stringify(s.labels)}`, { type: f.type, value: s.value });
  return out;
}

const seriesCount = (families: Family[]) => families.reduce((n, f) => n + f.samples.length, 0);

describe("bench targets: generated exporters", () => {
  describe("promtool check metrics", () => {
    before(function () {
      requireTool(this, "promtool", "prometheus");
    });
    for (const [name, page] of Object.entries(PAGES)) {
      it(`parses ${name} with no lint finding but upstream's own names`, () => {
        const run = spawnSync("promtool", ["check", "metrics"], { input: renderExposition(page(model, 120)), encoding: "utf8" });
        const output = `${run.stdout}${run.stderr}`.trim();
        expect(output, output).to.not.include("error");
        const findings = output ? output.split("\n") : [];
        expect(findings.filter((line) => !UPSTREAM_LINT.includes(line)), output).to.deep.equal([]);
        expect(run.status, output).to.equal(findings.length ? 3 : 0);
      });
    }
  });

  it("advances every counter and histogram, and moves gauges, between two scrapes", () => {
    for (const [name, page] of Object.entries(PAGES)) {
      const before = values(page(model, 100));
      const after = values(page(model, 130));
      expect([...after.keys()], name).to.deep.equal([...before.keys()]);
      let moved = 0;
      for (const [key, { type, value }] of after) {
        const earlier = before.get(key)!.value;
        if (type === "counter" || type === "histogram") expect(value, `${name} ${key}`).to.be.at.least(earlier);
        if (value !== earlier) moved++;
      }
      expect(moved, `${name}: values that changed`).to.be.greaterThan(0);
    }
  });

  it("adds the same number of series for every 30 added pods (the per-pod mix repeats every 30 application pods)", () => {
    const sizes = [10, 40, 70].map((pods) => buildNodeModel({ nodeName: "n", pods, containersPerPod: 2 }));
    for (const page of [PAGES["kubelet /metrics/cadvisor"], PAGES["kubelet /metrics/resource"]]) {
      const [a, b, c] = sizes.map((m) => seriesCount(page(m, 60)));
      expect(b - a).to.be.greaterThan(0);
      expect(c - b).to.equal(b - a);
    }
  });

  it("produces every metric the rules and dashboards read from the kubelet, cAdvisor, kube-state-metrics and services", () => {
    const used = usedMetricNames();
    const wanted = [...new Set([...used.rules, ...used.dashboards])].filter((n) => /^(kube_|kubelet_|container_|http_)/.test(n));
    const produced = new Set(Object.values(PAGES).flatMap((page) => page(model, 60).flatMap((f) => f.samples.map((s) => `${f.name}${s.suffix ?? ""}`))));
    expect(wanted.length).to.be.greaterThan(15);
    expect(wanted.filter((name) => !produced.has(name))).to.deep.equal([]);
  });

  it("refuses a node too small to hold a system pod and an application pod", () => {
    expect(() => buildNodeModel({ nodeName: "n", pods: 1, containersPerPod: 1 })).to.throw(/at least 2 pods/);
  });
});
