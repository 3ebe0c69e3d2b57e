/**
 * The rendered rule namespaces, checked and unit-tested by the real promtool: every alert
 * fires with exact labels and annotations in one case and stays quiet in another, and every
 * recording rule produces the expected value (see cases/, and coverage.test.ts).
 */
import { expect } from "chai";
import { spawn, spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { renderRuleNamespaces, resolveRuleSettings, RULE_CONCERNS, RULE_NAMESPACE_NAMES } from "../../components/alert-pipeline/rules";
import { requireTool } from "../support/tools";
import { CASES_BY_CONCERN, promtoolTestDocument } from "./cases";

interface PromtoolRun {
  status: number | null;
  output: string;
}

function promtool(args: string[], cwd: string): PromtoolRun {
  const run = spawnSync("promtool", args, { cwd, encoding: "utf8", timeout: 30_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The same, without blocking the event loop while promtool evaluates the cases. */
function promtoolAsync(args: string[], cwd: string): Promise<PromtoolRun> {
  return new Promise((resolve) => {
    const child = spawn("promtool", args, { cwd, timeout: 60_000 });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("close", (status) => resolve({ status, output }));
  });
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

  describe("promtool test rules", function () {
    // Each test renders its namespace and runs promtool itself (not in a before() hook), so
    // mutation testing sees which test exercised the renderer.
    for (const concern of RULE_CONCERNS) {
      const name = RULE_NAMESPACE_NAMES[concern];
      it(`passes for ${name}`, async function () {
        const ns = renderRuleNamespaces().find((rendered) => rendered.concern === concern);
        expect(ns, `no namespace rendered for ${concern}`).to.not.equal(undefined);
        const ruleFile = `${ns!.name}.yaml`;
        writeFileSync(join(dir, ruleFile), ns!.data);
        const testFile = `${ns!.name}.test.yaml`;
        writeFileSync(join(dir, testFile), stringify(promtoolTestDocument(ruleFile, CASES_BY_CONCERN[ns!.concern]), { lineWidth: 0 }));
        const run = await promtoolAsync(["test", "rules", testFile], dir);
        expect(run.status, run.output).to.equal(0);
        expect(run.output).to.match(/SUCCESS/);
      });
    }
  });
});
