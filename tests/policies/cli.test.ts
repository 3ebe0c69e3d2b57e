import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../policies/cli";
import { evaluatePlan, PlanStack } from "../../policies/evaluate";
import { loadProjectPolicyConfig, PROJECT_POLICY_CONFIG_FILE } from "../../policies/project-config";
import { formatPlanEvaluation } from "../../policies/report";
import { BAD_CASES, CASE_ACCOUNT, GOOD_CASES } from "./cases";
import { synthesiseEnvironment, writePlan } from "./plan-fixture";

const ROOT = path.resolve(__dirname, "../..");
// The synthesised environments use the project's builders, whose CloudWatch reads on "*" pass
// through the project's reviewed exceptions (policies/policy-config.json).
const PROJECT_CONFIG = loadProjectPolicyConfig();

describe("npm run policy over an offline plan", function () {
  this.timeout(60_000);
  let tmp: string;
  let goodPlan: string;
  let badPlan: string;

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
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("evaluatePlan: a least-privilege environment has no mandatory violation, only the advisory for a plan-time unknown", () => {
    const result = evaluatePlan(goodPlan, { config: PROJECT_CONFIG });
    expect(result.stacks.map((s) => s.stack)).to.deep.equal(["dev", "dev-team0", "dev-team1", "dev-team2"]);
    expect(result.mandatory).to.equal(0);
    expect(result.advisory).to.equal(3);
    expect(result.stacks[1].violations[0]).to.include({ policy: "no-broad-managed-policies", enforcementLevel: "advisory", resourceName: "collector-extra" });
  });

  it("evaluatePlan: refuses a folder that mixes two environments' stacks", () => {
    const mixed = path.join(tmp, "mixed");
    writePlan(mixed, [...synthesiseEnvironment("dev", CASE_ACCOUNT, 1), ...synthesiseEnvironment("prod", CASE_ACCOUNT, 1)]);
    expect(() => evaluatePlan(mixed, { config: PROJECT_CONFIG })).to.throw(/mixes the stacks of environments dev, prod; evaluate one environment's plan at a time/);
  });

  it("evaluatePlan: every bad case lands on its stack and resource", () => {
    const result = evaluatePlan(badPlan, { config: PROJECT_CONFIG });
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
    const result = evaluatePlan(large, { config: PROJECT_CONFIG });
    expect(result.stacks).to.have.length(201);
    const mandatory = (r: typeof result) => r.stacks.flatMap((s) => s.violations.filter((v) => v.enforcementLevel === "mandatory"));
    expect(mandatory(result)).to.deep.equal([]);
    console.log(`      ${result.resourceCount} resources in ${result.stacks.length} stacks evaluated in ${result.durationMs.toFixed(0)} ms`);

    // The same organisation with every account named one by one: the size policy catches what AWS would refuse.
    const enumerated = path.join(tmp, "enumerated");
    writePlan(enumerated, synthesiseEnvironment("prod", CASE_ACCOUNT, 200, "eu-west-1", "enumerated"));
    expect(mandatory(evaluatePlan(enumerated, { config: PROJECT_CONFIG })).map((v) => `${v.policy} ${v.resourceName}`).sort())
      .to.deep.equal(["document-size-quota alerts", "document-size-quota grafana-workspace-prod"]);
  });

  it("main exits 0 on a clean plan, 1 on a mandatory violation, 2 on a missing plan or a bad config", () => {
    const quiet = silenceConsole();
    try {
      expect(main([goodPlan, "--config", PROJECT_POLICY_CONFIG_FILE])).to.equal(0);
      expect(main([badPlan, "--config", PROJECT_POLICY_CONFIG_FILE])).to.equal(1);
      expect(main([path.join(tmp, "missing")])).to.equal(2);
      const config = path.join(tmp, "config.json");
      fs.writeFileSync(config, JSON.stringify({ "no-such-policy": "advisory" }));
      expect(main([goodPlan, "--config", config])).to.equal(2);
      expect(quiet.errors.join("\n")).to.include('unknown policy "no-such-policy"');
      fs.writeFileSync(config, JSON.stringify({ "no-wildcard-resource": { enforcementLevel: "advisroy" } }));
      expect(main([badPlan, "--config", config])).to.equal(2);
      expect(quiet.errors.join("\n")).to.include('policy "no-wildcard-resource" has enforcementLevel "advisroy"; use advisory, mandatory or disabled');
      fs.writeFileSync(config, JSON.stringify({ "no-wildcard-resource": { enforcementlevel: "advisory" } }));
      expect(main([badPlan, "--config", config])).to.equal(2);
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

  it("main applies a policy config file: `all: advisory` exits 0", () => {
    const config = path.join(tmp, "advisory.json");
    fs.writeFileSync(config, JSON.stringify({ all: "advisory" }));
    const quiet = silenceConsole();
    try {
      expect(main([badPlan, "--config", config])).to.equal(0);
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

function silenceConsole(): { errors: string[]; restore: () => void } {
  const { log, error } = console;
  const errors: string[] = [];
  console.log = () => undefined;
  console.error = (...args: unknown[]) => errors.push(args.join(" "));
  return { errors, restore: () => Object.assign(console, { log, error }) };
}
