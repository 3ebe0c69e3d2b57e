import { expect } from "chai";
import { existsSync, rmSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { DeployArgs } from "../../stacks/automation/args";
import { deploy, policyPackConfigFile, policyPackDir } from "../../stacks/automation/deploy";
import { workloadStackConfig } from "../../stacks/plan/stack-files";
import { PROJECT_DIR } from "../support/org-model";
import { FakeBehaviour, FakeEngine } from "./fake-engine";
import { hubRawConfig, modelWithWorkloads, removeProject, writeProject } from "./project";

const PROJECT = "aws-multi-account-observability";
/** The committed dev model's accounts: tests follow Pulumi.dev.yaml rather than copy it. */
const DEV_ACCOUNTS: string[] = hubRawConfig("dev").workloads.map((w: { name: string }) => w.name);
const DEV_WORKLOADS = DEV_ACCOUNTS.map((name) => `dev-${name}`);
const [FIRST, SECOND] = DEV_WORKLOADS;

function args(overrides: Partial<DeployArgs> = {}): DeployArgs {
  return { environment: "dev", preview: false, parallel: 4, ...overrides };
}

async function run(projectDir: string, deployArgs: DeployArgs, behaviour: FakeBehaviour = {}, engine = new FakeEngine(behaviour)) {
  const out: string[] = [];
  const err: string[] = [];
  let clock = 0;
  const outcome = await deploy(projectDir, deployArgs, engine, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    now: () => (clock += 1500),
  });
  return { outcome, engine, out, err };
}

describe("deploy driver: order and failure handling", () => {
  it("runs the hub stack to completion before selecting any workload stack", async () => {
    const { outcome, engine } = await run(PROJECT_DIR, args());
    const hubDone = engine.calls.findIndex((c) => c.kind === "done" && c.stack === "dev");
    const firstWorkload = engine.calls.findIndex((c) => c.stack !== "dev");
    expect(hubDone).to.be.greaterThan(-1);
    expect(firstWorkload).to.be.greaterThan(hubDone);
    expect(engine.calls[0]).to.deep.equal({ kind: "select", stack: "dev" });
    expect(engine.stacksCalled("up").sort()).to.deep.equal(["dev", ...DEV_WORKLOADS].sort());
    expect(outcome.exitCode).to.equal(0);
  });

  for (const bound of [1, 3]) {
    it(`keeps at most ${bound} workload stack(s) in flight and runs them all`, async function () {
      this.timeout(5000); // a driver that never reaches the bound would hang on waitForPending
      const dir = writeProject(modelWithWorkloads(7));
      try {
        const engine = new FakeEngine({ manual: true });
        const running = run(dir, args({ parallel: bound }), {}, engine);
        await engine.waitForPending(1);
        expect(engine.releaseOldest()).to.equal("dev");
        let remaining = 7;
        while (remaining > 0) {
          const expected = Math.min(bound, remaining);
          await engine.waitForPending(expected);
          expect(engine.pending).to.have.length(expected);
          expect(engine.inFlight).to.equal(expected);
          engine.releaseOldest();
          remaining--;
        }
        const { outcome } = await running;
        expect(outcome.exitCode).to.equal(0);
        expect(engine.maxInFlight).to.equal(bound);
        expect(engine.stacksCalled("up")).to.have.length(8);
      } finally {
        removeProject(dir);
      }
    });
  }

  it("runs no workload stack when the hub fails, and exits non-zero", async () => {
    const { outcome, engine, out } = await run(PROJECT_DIR, args(), {
      outcome: (stack) => (stack === "dev" ? { ok: false, error: "error: update failed" } : {}),
    });
    expect(engine.calls.filter((c) => c.stack !== "dev")).to.deep.equal([]);
    expect(outcome.exitCode).to.equal(1);
    expect(outcome.report!.results.map((r) => [r.stackName, r.status])).to.deep.equal([
      ["dev", "failed"], ...DEV_WORKLOADS.map((stack) => [stack, "skipped"]),
    ]);
    const lines = out.join("\n").split("\n");
    DEV_WORKLOADS.forEach((stack, i) => {
      expect(lines).to.include(`[${i + 2}/${DEV_WORKLOADS.length + 1}] ${stack} up skipped: hub failed`);
      expect(lines.filter((line) => line.startsWith(`${stack} `) && line.endsWith("skipped: hub failed"))).to.have.length(1);
    });
  });

  it("treats a hub stack that cannot be selected as a failed hub", async () => {
    const { outcome, engine } = await run(PROJECT_DIR, args(), { failSelect: ["dev"] });
    expect(engine.calls).to.deep.equal([{ kind: "select", stack: "dev" }]);
    expect(outcome.exitCode).to.equal(1);
    expect(outcome.report!.results[0]).to.include({ status: "failed", error: "cannot select dev" });
  });

  it("keeps running the other workloads when one fails, and exits non-zero", async () => {
    const dir = writeProject(modelWithWorkloads(4));
    try {
      const { outcome, engine } = await run(dir, args({ parallel: 2 }), {
        outcome: (stack) => (stack === "dev-acct1" ? { ok: false, error: "error: quota exceeded" } : {}),
      });
      expect(engine.stacksCalled("up").sort()).to.deep.equal(["dev", "dev-acct0", "dev-acct1", "dev-acct2", "dev-acct3"]);
      expect(outcome.exitCode).to.equal(1);
      const status = Object.fromEntries(outcome.report!.results.map((r) => [r.stackName, r.status]));
      expect(status).to.deep.equal({
        dev: "succeeded", "dev-acct0": "succeeded", "dev-acct1": "failed", "dev-acct2": "succeeded", "dev-acct3": "succeeded",
      });
    } finally {
      removeProject(dir);
    }
  });

  it("also keeps going when one workload stack cannot be selected", async () => {
    const { outcome, engine } = await run(PROJECT_DIR, args(), { failSelect: [FIRST] });
    expect(engine.stacksCalled("up")).to.deep.equal(["dev", ...DEV_WORKLOADS.slice(1)]);
    expect(outcome.exitCode).to.equal(1);
  });
});

describe("deploy driver: options", () => {
  it("--only runs the hub and that one workload account", async () => {
    const { outcome, engine } = await run(PROJECT_DIR, args({ only: DEV_ACCOUNTS[1] }));
    expect(engine.stacksCalled("select")).to.deep.equal(["dev", SECOND]);
    expect(engine.stacksCalled("up")).to.deep.equal(["dev", SECOND]);
    expect(outcome.exitCode).to.equal(0);
  });

  it("--only with an account not in the model stops before any engine call", async () => {
    const { outcome, engine, err } = await run(PROJECT_DIR, args({ only: "billing" }));
    expect(engine.calls).to.deep.equal([]);
    expect(outcome.exitCode).to.equal(1);
    const accounts = hubRawConfig("dev").workloads.map((w: { name: string }) => w.name).join(", ");
    expect(err.join("\n")).to.contain('no workload account "billing"').and.contain(`(accounts: ${accounts})`);
  });

  it("--preview previews every stack and updates none", async () => {
    const { engine, outcome } = await run(PROJECT_DIR, args({ preview: true }));
    expect(engine.stacksCalled("preview")).to.have.members(["dev", ...DEV_WORKLOADS]);
    expect(engine.stacksCalled("up")).to.deep.equal([]);
    expect(outcome.report!.results.every((r) => r.operation === "preview")).to.equal(true);
  });

  it("without --preview updates every stack and previews none", async () => {
    const { engine } = await run(PROJECT_DIR, args());
    expect(engine.stacksCalled("preview")).to.deep.equal([]);
    expect(engine.stacksCalled("up")).to.have.members(["dev", ...DEV_WORKLOADS]);
  });

  it("passes the project's policy pack with its config on every preview and every update", async () => {
    const pack = { dir: resolve(PROJECT_DIR, "policies"), configFile: resolve(PROJECT_DIR, "policies", "policy-config.json") };
    for (const preview of [true, false]) {
      const { engine } = await run(PROJECT_DIR, args({ preview }));
      const operations = engine.calls.filter((c) => c.kind === "preview" || c.kind === "up");
      expect(operations).to.have.length(1 + DEV_WORKLOADS.length);
      for (const call of operations) {
        expect((call as { policyPacks: unknown[] }).policyPacks).to.deep.equal([pack]);
      }
    }
    expect(existsSync(join(policyPackDir(PROJECT_DIR), "PulumiPolicy.yaml"))).to.equal(true);
    expect(policyPackConfigFile(PROJECT_DIR)).to.equal(pack.configFile);
  });

  for (const [what, content, message] of [
    ["missing", undefined, "is missing"],
    ["not valid JSON", '{ "no-wildcard-resource": ', "is not valid JSON"],
    ["not a JSON object", "[]", "must hold a JSON object"],
  ] as const) {
    it(`stops before any engine call when the policy pack config is ${what}`, async () => {
      const dir = writeProject(hubRawConfig("dev"));
      try {
        const file = policyPackConfigFile(dir);
        if (content === undefined) rmSync(file);
        else writeFileSync(file, content);
        const { outcome, engine, err, out } = await run(dir, args({ preview: true }));
        expect(engine.calls).to.deep.equal([]);
        expect(outcome).to.deep.equal({ exitCode: 1 });
        expect(out).to.deep.equal([]);
        expect(err.join("\n")).to.contain(`policy pack config ${file} ${message}`);
      } finally {
        removeProject(dir);
      }
    });
  }
});

describe("deploy driver: stack config from the organisation model", () => {
  it("sets each workload stack's config exactly from the model and leaves the hub's file alone", async () => {
    const { engine } = await run(PROJECT_DIR, args());
    const selects = engine.calls.filter((c) => c.kind === "select");
    expect(selects).to.deep.equal([
      { kind: "select", stack: "dev" },
      ...DEV_ACCOUNTS.map((name) => ({ kind: "select", stack: `dev-${name}`, config: workloadStackConfig("dev", name) })),
    ]);
  });

  it("with --org, names every stack org/project/stack and points workloads at the qualified hub", async () => {
    const { engine } = await run(PROJECT_DIR, args({ org: "acme", environment: "prod" }));
    const hub = `acme/${PROJECT}/prod`;
    const model = hubRawConfig("prod");
    const selects = engine.calls.filter((c) => c.kind === "select");
    expect(selects[0]).to.deep.equal({ kind: "select", stack: hub });
    expect(selects.slice(1)).to.deep.equal(model.workloads.map((w: { name: string }) => ({
      kind: "select",
      stack: `acme/${PROJECT}/prod-${w.name}`,
      config: workloadStackConfig(hub, w.name),
    })));
  });

  it("stops on a bad organisation model with its error message, before any engine call", async () => {
    const raw = hubRawConfig("dev");
    raw.workloads[0].deployRoleArn = "arn:aws:iam::999999999999:role/observability-deploy";
    const dir = writeProject(raw);
    try {
      const { outcome, engine, err, out } = await run(dir, args());
      expect(engine.calls).to.deep.equal([]);
      expect(outcome.exitCode).to.equal(1);
      expect(outcome.report).to.equal(undefined);
      expect(out).to.deep.equal([]);
      expect(err.join("\n")).to.contain('config key "observability:workloads[0].deployRoleArn"')
        .and.contain(`is in account 999999999999, not ${raw.workloads[0].accountId}`);
    } finally {
      removeProject(dir);
    }
  });
});

describe("deploy driver: output", () => {
  it("prefixes every engine output line with its stack, joining lines split across chunks", async () => {
    const { out } = await run(PROJECT_DIR, args(), {
      output: (stack) => [`Updating (${stack})\n  + aws:iam:Ro`, "le created\n", "Resources: 3 created"],
    });
    for (const stack of ["dev", ...DEV_WORKLOADS]) {
      const lines = out.filter((line) => line.startsWith(`[${stack}] `));
      expect(lines).to.deep.equal([
        `[${stack}] Updating (${stack})`,
        `[${stack}]   + aws:iam:Role created`,
        `[${stack}] Resources: 3 created`,
      ]);
    }
  });

  it("ends with a summary table of changes, policy violations, duration and result per stack", async () => {
    const { out } = await run(PROJECT_DIR, args({ preview: true, parallel: 1 }), {
      outcome: (stack) => stack === "dev"
        ? { changes: { create: 12, update: 1, delete: 0, same: 40, replace: 2 }, policyViolations: { mandatory: 0, advisory: 3 } }
        : stack === SECOND
          ? { ok: false, changes: { create: 0, update: 0, delete: 0, same: 0, replace: 0 }, policyViolations: { mandatory: 2, advisory: 0 }, error: "error: preview failed: 2 mandatory policy violations\nmore detail" }
          : { changes: { create: 5, update: 0, delete: 1, same: 0, replace: 0 } },
    });
    // The injected clock advances 1.5 s per reading: one reading at start and one at end.
    const table = out.slice(out.indexOf("") + 1).join("\n").split("\n");
    const rows = table.map((line) => line.split(/\s{2,}/));
    expect(rows[0]).to.deep.equal(["stack", "account", "operation", "create", "update", "delete", "same", "replace", "policy (mandatory/advisory)", "duration", "result"]);
    expect(rows[1][0]).to.match(/^-+$/);
    expect(rows.slice(2, 5)).to.deep.equal([
      ["dev", "hub", "preview", "12", "1", "0", "40", "2", "0/3", "1.5 s", "succeeded"],
      [FIRST, DEV_ACCOUNTS[0], "preview", "5", "0", "1", "0", "0", "0/0", "1.5 s", "succeeded"],
      [SECOND, DEV_ACCOUNTS[1], "preview", "0", "0", "0", "0", "0", "2/0", "1.5 s", "failed: error: preview failed: 2 mandatory policy violations"],
    ]);
    expect(rows).to.have.length(2 + 1 + DEV_WORKLOADS.length + 2);
    expect(rows[rows.length - 2][0]).to.match(/^-+$/);
    // Totals: changes and violations summed over the stacks, the run's wall-clock time, outcome counts.
    expect(rows[rows.length - 1]).to.deep.equal([
      "total", `${1 + DEV_WORKLOADS.length} stacks`, "preview",
      String(12 + 5 * (DEV_WORKLOADS.length - 1)), "1", String(DEV_WORKLOADS.length - 1), "40", "2",
      "2/3", rows[rows.length - 1][9], `${DEV_WORKLOADS.length} succeeded, 1 failed`,
    ]);
    expect(rows[rows.length - 1][9]).to.match(/^\d+\.\d s$/);
  });
});
