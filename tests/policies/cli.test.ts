import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ResourceRecord } from "../../policies/analysis/model";
import { main } from "../../policies/cli";
import { evaluatePlan, PlanStack } from "../../policies/evaluate";
import { loadProjectPolicyConfig, PROJECT_POLICY_CONFIG_FILE } from "../../policies/project-config";
import { formatPlanEvaluation } from "../../policies/report";
import { BAD_CASES, CASE_ACCOUNT, GOOD_CASES, STACK_BAD } from "./cases";
import { synthesiseEnvironment, writePlan } from "./plan-fixture";

const ROOT = path.resolve(__dirname, "../..");
// The synthesised environments use the project's builders, whose CloudWatch reads on "*" pass
// through the project's reviewed exceptions (policies/policy-config.json).
// Read by each test, not when this file loads (mutation testing runs a mutant met only at load in a fresh process each).
const projectConfig = () => loadProjectPolicyConfig();

describe("npm run policy over an offline plan", function () {
  this.timeout(60_000);
  let tmp: string;
  let goodPlan: string;
  let badPlan: string;
  /** Four bad cases (four mandatory findings, one advisory) beside one good one: for what main and evaluatePlan do with findings, not which rule finds them. */
  let smallBadPlan: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "policy-plan-"));
    goodPlan = path.join(tmp, "dev");
    writePlan(goodPlan, synthesiseEnvironment("dev", CASE_ACCOUNT, 3));
    badPlan = path.join(tmp, "bad");
    const stack = (name: string, records: PlanStack["resources"]): PlanStack => ({ stack: name, environment: "dev", accountId: CASE_ACCOUNT, resources: records });
    writePlan(badPlan, [
      stack("dev", GOOD_CASES.map((c) => ({ ...c.record, custom: true, parent: null, provider: null }))),
      stack("dev-payments", BAD_CASES.map((c) => ({ ...c.record, custom: true, parent: null, provider: null }))),
    ]);
    smallBadPlan = path.join(tmp, "small-bad");
    const planRecord = (c: { record: ResourceRecord }) => ({ ...c.record, custom: true, parent: null, provider: null });
    writePlan(smallBadPlan, [
      stack("dev", [planRecord(goodCase("Customer-managed policy attachment"))]),
      stack("dev-payments", [
        ...["AdministratorAccess attachment", "public queue policy", "lambda:InvokeAsync (deprecated) on the notifier"].map((title) => planRecord(badCase(title))),
        // A stack policy's finding (remote-write-one-workspace-per-role) as well as resource policies'.
        ...STACK_BAD.find((c) => c.title === "remote write to a workspace wildcard")!.records.map((record) => planRecord({ record })),
      ]),
    ]);
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("evaluatePlan: a least-privilege environment has no mandatory violation, only the advisory for a plan-time unknown", () => {
    const result = evaluatePlan(goodPlan, { config: projectConfig() });
    expect(result.stacks.map((s) => s.stack)).to.deep.equal(["dev", "dev-team0", "dev-team1", "dev-team2"]);
    expect(result.mandatory).to.equal(0);
    expect(result.advisory).to.equal(3);
    expect(result.stacks[1].violations[0]).to.include({ policy: "no-broad-managed-policies", enforcementLevel: "advisory", resourceName: "collector-extra" });
  });

  it("evaluatePlan: refuses a folder that mixes two environments' stacks", () => {
    const mixed = path.join(tmp, "mixed");
    writePlan(mixed, [...synthesiseEnvironment("dev", CASE_ACCOUNT, 1), ...synthesiseEnvironment("prod", CASE_ACCOUNT, 1)]);
    expect(() => evaluatePlan(mixed, { config: projectConfig() })).to.throw(/mixes the stacks of environments dev, prod; evaluate one environment's plan at a time/);
  });

  it("evaluatePlan: every bad case lands on its stack and resource", () => {
    const result = evaluatePlan(badPlan, { config: projectConfig() });
    const [hub, workload] = result.stacks;
    expect(hub.violations).to.deep.equal([]);
    const flagged = (level: string) => new Set(workload.violations.filter((v) => v.enforcementLevel === level).map((v) => v.resourceName));
    expect(BAD_CASES.filter((c) => !flagged(c.level ?? "mandatory").has(c.record.name)).map((c) => c.title)).to.deep.equal([]);
    const report = formatPlanEvaluation(result);
    expect(report).to.match(/^judged against the AWS Service Authorization Reference from @cloud-copilot\/iam-data \d+\.\d+\.\d+/);
    expect(report).to.match(/^stack dev-payments \(environment dev, account 111111111111\): \d+ resources, \d+ mandatory, 1 advisory$/m);
    expect(report).to.include(`  aws:iam/policy:Policy admin-like\n    [mandatory] no-wildcard-actions: policy, statement "Everything": Allow with Action "*"`);
  });

  it("evaluates a 200-account environment quickly: the project's scoped documents pass, listing every account overflows two quotas", () => {
    const large = path.join(tmp, "large");
    writePlan(large, synthesiseEnvironment("prod", CASE_ACCOUNT, 200));
    const result = evaluatePlan(large, { config: projectConfig() });
    expect(result.stacks).to.have.length(201);
    const mandatory = (r: typeof result) => r.stacks.flatMap((s) => s.violations.filter((v) => v.enforcementLevel === "mandatory"));
    expect(mandatory(result)).to.deep.equal([]);
    console.log(`      ${result.resourceCount} resources in ${result.stacks.length} stacks evaluated in ${result.durationMs.toFixed(0)} ms`);

    // The same organisation with every account named one by one: the size policy catches what AWS would refuse.
    const enumerated = path.join(tmp, "enumerated");
    writePlan(enumerated, synthesiseEnvironment("prod", CASE_ACCOUNT, 200, "eu-west-1", "enumerated"));
    expect(mandatory(evaluatePlan(enumerated, { config: projectConfig() })).map((v) => `${v.policy} ${v.resourceName}`).sort())
      .to.deep.equal(["document-size-quota alerts", "document-size-quota grafana-workspace-prod"]);
  });

  it("main exits 0 on a clean plan, 1 on a mandatory violation, 2 on a missing plan or a bad config", () => {
    const quiet = silenceConsole();
    try {
      expect(main([goodPlan, "--config", PROJECT_POLICY_CONFIG_FILE])).to.equal(0);
      expect(main([smallBadPlan, "--config", PROJECT_POLICY_CONFIG_FILE])).to.equal(1);
      expect(main([path.join(tmp, "missing")])).to.equal(2);
      const config = path.join(tmp, "config.json");
      fs.writeFileSync(config, JSON.stringify({ "no-such-policy": "advisory" }));
      expect(main([goodPlan, "--config", config])).to.equal(2);
      expect(quiet.errors.join("\n")).to.include('unknown policy "no-such-policy"');
      fs.writeFileSync(config, JSON.stringify({ "no-wildcard-resource": { enforcementLevel: "advisroy" } }));
      expect(main([smallBadPlan, "--config", config])).to.equal(2);
      expect(quiet.errors.join("\n")).to.include('policy "no-wildcard-resource" has enforcementLevel "advisroy"; use advisory, mandatory or disabled');
      fs.writeFileSync(config, JSON.stringify({ "no-wildcard-resource": { enforcementlevel: "advisory" } }));
      expect(main([smallBadPlan, "--config", config])).to.equal(2);
      expect(quiet.errors.join("\n")).to.include('policy "no-wildcard-resource" has no setting "enforcementlevel"');
    } finally {
      quiet.restore();
    }
  });

  it("accepts the example policy config shipped with the pack", () => {
    const quiet = silenceConsole();
    try {
      expect(main([goodPlan, "--config", path.join(ROOT, "policies/config.example.json")])).to.equal(0);
    } finally {
      quiet.restore();
    }
  });

  it("main --json prints the evaluation as JSON; the text report names the config it applied", () => {
    const json = runMain([smallBadPlan, "--json", "--config", PROJECT_POLICY_CONFIG_FILE]);
    expect(json.code).to.equal(1);
    const result = JSON.parse(json.out) as { mandatory: number; advisory: number; stacks: Array<{ stack: string }> };
    expect(result).to.include({ mandatory: 4, advisory: 1 });
    expect(result.stacks.map((s) => s.stack)).to.deep.equal(["dev", "dev-payments"]);
    const text = runMain([goodPlan]);
    expect(text.code).to.equal(0);
    expect(text.out).to.match(new RegExp(`^policy config: ${PROJECT_POLICY_CONFIG_FILE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n`));
    expect(() => JSON.parse(text.out)).to.throw();
  });

  it("main refuses what is not one plan directory and a readable config, with the usage, and exits 2", () => {
    const usage = /usage: npm run policy -- out\/<env>/;
    for (const [argv, problem] of [
      [[], /missing plan directory/],
      [[goodPlan, "--config"], /--config needs a file/],
      [[goodPlan, "--verbose"], /unknown option --verbose/],
      [[goodPlan, badPlan], /unexpected argument/],
      [[goodPlan, "--config", path.join(tmp, "no-such-config.json")], /cannot read policy config/],
    ] as Array<[string[], RegExp]>) {
      const run = runMain(argv);
      expect(run.code, argv.join(" ")).to.equal(2);
      expect(run.err, argv.join(" ")).to.match(problem);
      if (!/cannot read/.test(problem.source)) expect(run.err, argv.join(" ")).to.match(usage);
    }
    for (const help of ["--help", "-h"]) {
      const run = runMain([help]);
      expect(run.code).to.equal(2);
      expect(run.err.trim()).to.match(usage).and.to.not.include("\n");
    }
  });

  it("evaluatePlan refuses a missing folder, a folder without stacks, an out/ of environments, a failed plan and an unreadable stack", () => {
    expect(() => evaluatePlan(path.join(tmp, "missing"))).to.throw(/does not exist; run the offline plan first/);
    const file = path.join(tmp, "a-file");
    fs.writeFileSync(file, "");
    expect(() => evaluatePlan(file)).to.throw(/does not exist/);
    const empty = fs.mkdtempSync(path.join(tmp, "empty-"));
    fs.mkdirSync(path.join(empty, "not-a-stack"));
    expect(() => evaluatePlan(empty)).to.throw(/has no <stack>\/resources.json files/);
    const out = fs.mkdtempSync(path.join(tmp, "out-"));
    fs.cpSync(goodPlan, path.join(out, "dev"), { recursive: true });
    expect(() => evaluatePlan(out)).to.throw(/holds the plans of an environment \(dev\), not the stacks of one/);
    fs.cpSync(goodPlan, path.join(out, "prod"), { recursive: true });
    expect(() => evaluatePlan(out)).to.throw(/holds the plans of several environments \(dev, prod\)/);
    const failed = fs.mkdtempSync(path.join(tmp, "failed-"));
    // One clean stack is enough: what is checked is whether the plan is read at all.
    writePlan(failed, [{ stack: "dev", environment: "dev", accountId: CASE_ACCOUNT, resources: [{ ...goodCase("Customer-managed policy attachment").record, custom: true, parent: null, provider: null }] }]);
    fs.writeFileSync(path.join(failed, "plan.json"), JSON.stringify({ status: "failed", environment: "dev", error: "stack dev: boom" }));
    expect(() => evaluatePlan(failed)).to.throw(/the last plan in .* failed, so it holds no current result:\nstack dev: boom\nfix it and run npm run plan -- --env dev again/);
    fs.writeFileSync(path.join(failed, "plan.json"), JSON.stringify({ status: "ok", environment: "dev" }));
    expect(evaluatePlan(failed, { config: projectConfig() }).mandatory).to.equal(0);
    const broken = fs.mkdtempSync(path.join(tmp, "broken-"));
    fs.mkdirSync(path.join(broken, "dev"));
    fs.writeFileSync(path.join(broken, "dev", "resources.json"), "{ not json");
    expect(() => evaluatePlan(broken)).to.throw(/dev\/resources.json: cannot read the plan's resources/);
    fs.writeFileSync(path.join(broken, "dev", "resources.json"), JSON.stringify({ stack: "dev" }));
    expect(() => evaluatePlan(broken)).to.throw(/dev\/resources.json: not a plan resources file: \w+/);
    fs.writeFileSync(path.join(broken, "dev", "resources.json"), "[]");
    expect(() => evaluatePlan(broken)).to.throw(/dev\/resources.json: not a plan resources file: <root>: Expected object, received array/);
  });

  it("evaluatePlan counts the resources of every stack and skips a disabled policy", () => {
    const result = evaluatePlan(smallBadPlan, { config: projectConfig() });
    expect(result.resourceCount).to.equal(5);
    expect(result.stacks.map((s) => s.resourceCount)).to.deep.equal([1, 4]);
    const withoutPrincipals = evaluatePlan(smallBadPlan, { config: { ...projectConfig(), "restricted-principals": "disabled" } });
    expect(result.stacks.flatMap((s) => s.violations).some((v) => v.policy === "restricted-principals")).to.equal(true);
    expect(withoutPrincipals.stacks.flatMap((s) => s.violations).some((v) => v.policy === "restricted-principals")).to.equal(false);
    // A stack policy's finding names its resource the way a resource policy's does.
    expect(result.stacks[1].violations.find((v) => v.policy === "remote-write-one-workspace-per-role")).to.include({ resourceName: "amp-ingest-dev-orders", resourceType: "aws:iam/role:Role" });
    for (const violation of result.stacks.flatMap((s) => s.violations)) {
      expect(violation.resourceType, violation.resourceName).to.match(/^aws:/);
    }
  });

  it("main applies a policy config file: `all: advisory` exits 0", () => {
    const config = path.join(tmp, "advisory.json");
    fs.writeFileSync(config, JSON.stringify({ all: "advisory" }));
    const quiet = silenceConsole();
    try {
      expect(main([smallBadPlan, "--config", config])).to.equal(0);
    } finally {
      quiet.restore();
    }
  });

  it("runs as `npm run policy -- <plan dir>` and prints violations per stack and resource", () => {
    const run = spawnSync("npm", ["run", "--silent", "policy", "--", badPlan, "--config", PROJECT_POLICY_CONFIG_FILE], { cwd: ROOT, encoding: "utf8", timeout: 45_000 });
    expect(run.status, run.stderr).to.equal(1);
    expect(run.stdout).to.match(/^stack dev \(environment dev, account 111111111111\): \d+ resources, 0 mandatory, 0 advisory$/m);
    expect(run.stdout).to.include("aws:iam/rolePolicyAttachment:RolePolicyAttachment admin-attach");
    expect(run.stdout).to.include("[advisory] deprecated-actions:");
    expect(run.stdout).to.match(/mandatory and 1 advisory violations \(evaluated in [\d.]+ ms\)$/m);
  });
});

function badCase(title: string): (typeof BAD_CASES)[number] {
  const found = BAD_CASES.find((c) => c.title === title);
  if (!found) throw new Error(`no bad case "${title}"`);
  return found;
}

function goodCase(title: string): (typeof GOOD_CASES)[number] {
  const found = GOOD_CASES.find((c) => c.title === title);
  if (!found) throw new Error(`no good case "${title}"`);
  return found;
}

function silenceConsole(): { errors: string[]; logs: string[]; restore: () => void } {
  const { log, error } = console;
  const errors: string[] = [];
  const logs: string[] = [];
  console.log = (...args: unknown[]) => logs.push(args.join(" "));
  console.error = (...args: unknown[]) => errors.push(args.join(" "));
  return { errors, logs, restore: () => Object.assign(console, { log, error }) };
}

/** main's exit code and what it printed. */
function runMain(argv: string[]): { code: number; out: string; err: string } {
  const quiet = silenceConsole();
  try {
    const code = main(argv);
    return { code, out: quiet.logs.join("\n"), err: quiet.errors.join("\n") };
  } finally {
    quiet.restore();
  }
}
