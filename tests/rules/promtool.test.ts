/**
 * The rendered rule namespaces, checked and unit-tested by the real promtool: every alert
 * fires with exact labels and annotations in one case and stays quiet in another, and every
 * recording rule produces the expected value (see cases/, and coverage.test.ts).
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { renderRuleNamespaces, resolveRuleSettings } from "../../components/alert-pipeline/rules";
import { requireTool } from "../support/tools";
import { CASES_BY_CONCERN, promtoolTestDocument } from "./cases";

function promtool(args: string[], cwd: string): { status: number | null; output: string } {
  const run = spawnSync("promtool", args, { cwd, encoding: "utf8", timeout: 30_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("rule namespaces under promtool", function () {
  let dir: string;

  before(function () {
    requireTool(this, "promtool", "prometheus");
    dir = mkdtempSync(join(tmpdir(), "rules-"));
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("promtool check rules accepts every namespace rendered with the defaults", function () {
    const namespaces = renderRuleNamespaces();
    expect(namespaces.map((ns) => ns.name)).to.deep.equal(["kubernetes-health", "service-red", "collector-health", "amp-quota"]);
    for (const ns of namespaces) writeFileSync(join(dir, `${ns.name}.yaml`), ns.data);
    const run = promtool(["check", "rules", ...namespaces.map((ns) => `${ns.name}.yaml`)], dir);
    expect(run.status, run.output).to.equal(0);
  });

  it("promtool check rules accepts namespaces rendered with overrides", function () {
    const settings = resolveRuleSettings({
      team: "payments-sre",
      disabledGroups: ["kubernetes-storage", "amp-quota"],
      evaluationInterval: "30s",
      selectors: { nodeExporter: 'job="node", namespace="monitoring"' },
      thresholds: { serviceAvailabilityObjective: 0.995, nodeCpuUtilisationRatio: 0.8 },
      pending: { KubePodCrashLooping: "5m" },
      quotas: { activeSeries: 50_000_000 },
    });
    const namespaces = renderRuleNamespaces(settings);
    expect(namespaces.map((ns) => ns.name)).to.deep.equal(["kubernetes-health", "service-red", "collector-health"]);
    const files = namespaces.map((ns) => {
      writeFileSync(join(dir, `override-${ns.name}.yaml`), ns.data);
      return `override-${ns.name}.yaml`;
    });
    const run = promtool(["check", "rules", ...files], dir);
    expect(run.status, run.output).to.equal(0);
  });

  for (const ns of renderRuleNamespaces()) {
    it(`promtool test rules passes for ${ns.name}`, function () {
      const ruleFile = `${ns.name}.yaml`;
      writeFileSync(join(dir, ruleFile), ns.data);
      const testFile = `${ns.name}.test.yaml`;
      writeFileSync(join(dir, testFile), stringify(promtoolTestDocument(ruleFile, CASES_BY_CONCERN[ns.concern]), { lineWidth: 0 }));
      const run = promtool(["test", "rules", testFile], dir);
      expect(run.status, run.output).to.equal(0);
      expect(run.output).to.match(/SUCCESS/);
    });
  }
});
