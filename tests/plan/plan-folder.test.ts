import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { evaluatePlan } from "../../policies/evaluate";
import { main as policyMain } from "../../policies/cli";
import { PlanReport } from "../../stacks/plan/report";
import { planIntoFolder } from "../../stacks/plan/run-plan";
import { PROJECT_DIR } from "../support/org-model";

type StackFile = { config: Record<string, any> };

/** A copy of the project's stack files that a test may edit. */
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-project-"));
  for (const file of fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\..*yaml$/.test(f))) fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
  return dir;
}

function editStackFile(project: string, stack: string, edit: (file: StackFile) => void): void {
  const file = path.join(project, `Pulumi.${stack}.yaml`);
  const parsed = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as StackFile;
  edit(parsed);
  fs.writeFileSync(file, stringify(parsed));
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
const silently = <T>(run: () => T): T => {
  const [log, error] = [console.log, console.error];
  console.log = console.error = () => undefined;
  try {
    return run();
  } finally {
    [console.log, console.error] = [log, error];
  }
};

describe("plan output folder: a plan owns out/<env>", function () {
  this.timeout(120_000);
  let project: string;
  let out: string;
  let planDir: string;

  before(() => {
    project = projectCopy();
    out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-out-"));
    planDir = path.join(out, "dev");
    // Left by the older out/<stack> layout: one of this environment, one of another.
    for (const [stack, environment] of [["dev-search", "dev"], ["prod-data", "prod"]]) {
      fs.mkdirSync(path.join(out, stack), { recursive: true });
      fs.writeFileSync(path.join(out, stack, "resources.json"), JSON.stringify({ stack, environment, accountId: "1", resources: [] }));
    }
  });
  after(() => {
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("writes the stacks, plan.json and plan.md into out/<env>; the README's policy command evaluates exactly that environment", async () => {
    const run = await planIntoFolder(project, { environment: "dev", outDir: out, policy: true });
    expect(run.planDir).to.equal(planDir);
    expect(fs.readdirSync(planDir).sort()).to.deep.equal(["dev", "dev-hub-payments", "dev-hub-search", "dev-payments", "dev-query", "dev-search", "plan.json", "plan.md"]);
    expect(fs.readdirSync(out).sort()).to.deep.equal(["dev", "prod-data"]);

    const report = readJson(path.join(planDir, "plan.json")) as PlanReport;
    expect(report).to.include({ format: "observability-plan/v1", environment: "dev", status: "succeeded" });
    expect(report.stacks.map((s) => [s.stack, s.kind, s.resources])).to.deep.equal(run.plan.stacks.map((s) => [s.stack, s.kind, s.resources.length]));
    expect(report.stacks.map((s) => s.resourcesByType["aws:amp/ruleGroupNamespace:RuleGroupNamespace"] ?? 0)).to.deep.equal([0, 4, 3, 0, 0, 0]);
    expect(report.accounts.map((a) => a.account)).to.deep.equal(["payments", "search"]);
    expect(report.policy).to.deep.include({ evaluated: true, mandatory: 0 });
    expect(report.changes.compared).to.equal(false);
    expect(report.followUps.map((f) => f.kind)).to.include.members(["destination-secret", "email-confirmation", "eks-access-entry"]);
    const markdown = fs.readFileSync(path.join(planDir, "plan.md"), "utf8");
    expect(markdown).to.match(/^## Offline plan of `dev`\n\n6 stacks, 131 resources; hub in account 210987654321 \(eu-west-1\)\. Policy pack passed: 0 mandatory, 0 advisory\./);
    expect(markdown).to.include("| dev-payments | workload | 310987654321 | 11 | 6 |  |");

    expect(silently(() => policyMain([planDir]))).to.equal(0);
    expect(evaluatePlan(planDir).stacks.map((s) => s.stack)).to.deep.equal(["dev", "dev-hub-payments", "dev-hub-search", "dev-payments", "dev-query", "dev-search"]);
    expect(() => evaluatePlan(out)).to.throw(/holds the plans of an environment \(dev\), not the stacks of one: name one, e\.g\. npm run policy -- .*dev$/);
  });

  it("drops a stack removed from the config, and reports what changed", async () => {
    editStackFile(project, "dev", (file) => {
      file.config["observability:workloads"] = file.config["observability:workloads"].filter((w: { name: string }) => w.name !== "search");
    });
    const { report } = await planIntoFolder(project, { environment: "dev", outDir: out, policy: true });
    expect(fs.readdirSync(planDir).sort()).to.deep.equal(["dev", "dev-hub-payments", "dev-payments", "dev-query", "plan.json", "plan.md"]);
    expect(evaluatePlan(planDir).stacks.map((s) => s.stack)).to.deep.equal(["dev", "dev-hub-payments", "dev-payments", "dev-query"]);

    const byStack = Object.fromEntries(report.changes.stacks.map((s) => [s.stack, s]));
    expect(report.changes.compared).to.equal(true);
    expect(byStack["dev-search"]).to.include({ status: "removed" });
    expect(byStack["dev-search"].removed).to.have.length(30);
    expect(byStack["dev-payments"]).to.include({ status: "unchanged" });
    expect(byStack["dev-hub-payments"]).to.include({ status: "unchanged" });
    expect(byStack["dev-hub-search"]).to.include({ status: "removed" });
    expect(byStack["dev-hub-search"].removed.map((r) => r.name)).to.include.members(["hub-dev-search-workspace", "alerts-dev-search-service-red"]);
    // The shared stack keeps its resources: its policies scope by tag and organisation.
    expect(byStack.dev.status).to.equal("unchanged");
    // The AMP usage dashboard charts one workspace fewer: the same resource, a changed input.
    expect(byStack["dev-query"].changed).to.deep.equal([{ type: "grafana:oss/dashboard:Dashboard", name: "hub-dev-all-accounts-dev-amp-usage", keys: ["configJson"] }]);
  });

  it("a failed plan leaves no result that looks current", async () => {
    editStackFile(project, "dev", (file) => { file.config["observability:workloads"][0].collector.scrapeInterval = "0s"; });
    let failure = "";
    await planIntoFolder(project, { environment: "dev", outDir: out, policy: true }).catch((error) => (failure = (error as Error).message));
    expect(failure).to.include("scrapeInterval");
    expect(fs.readdirSync(planDir).sort()).to.deep.equal(["last-successful", "plan.json", "plan.md"]);
    expect(readJson(path.join(planDir, "plan.json"))).to.deep.include({ environment: "dev", status: "failed", error: failure });
    expect(fs.readFileSync(path.join(planDir, "plan.md"), "utf8")).to.match(/^## Offline plan of `dev`: failed/);
    expect(() => evaluatePlan(planDir)).to.throw(/the last plan in .* failed, so it holds no current result/);
    expect(silently(() => policyMain([planDir]))).to.equal(2);
  });

  it("the next plan compares itself with the last successful one", async () => {
    editStackFile(project, "dev", (file) => { file.config["observability:workloads"][0].collector.scrapeInterval = "30s"; });
    const { report } = await planIntoFolder(project, { environment: "dev", outDir: out, policy: false });
    expect(fs.readdirSync(planDir).sort()).to.deep.equal(["dev", "dev-hub-payments", "dev-hub-search", "dev-payments", "dev-query", "dev-search", "plan.json", "plan.md"]);
    const byStack = Object.fromEntries(report.changes.stacks.map((s) => [s.stack, s]));
    expect(byStack["dev-search"]).to.include({ status: "added" });
    expect(byStack["dev-payments"].changed.map((c) => `${c.type} ${c.name}: ${c.keys.join(",")}`)).to.deep.equal([
      "kubernetes:core/v1:ConfigMap payments-payments-dev-config: data",
    ]);
    expect(report.policy.evaluated).to.equal(false);
  });

  it("never replaces a folder it did not write", async () => {
    const foreign = fs.mkdtempSync(path.join(os.tmpdir(), "plan-foreign-"));
    try {
      fs.mkdirSync(path.join(foreign, "dev"));
      fs.writeFileSync(path.join(foreign, "dev", "notes.txt"), "mine");
      let failure = "";
      await planIntoFolder(project, { environment: "dev", outDir: foreign, policy: false }).catch((error) => (failure = (error as Error).message));
      expect(failure).to.match(/holds files a plan did not write/);
      expect(fs.readdirSync(path.join(foreign, "dev"))).to.deep.equal(["notes.txt"]);
    } finally {
      fs.rmSync(foreign, { recursive: true, force: true });
    }
  });
});
