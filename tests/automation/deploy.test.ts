import { expect } from "chai";
import { existsSync, rmSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { DeployArgs } from "../../stacks/automation/args";
import { deploy, policyPackConfigFile, policyPackDir } from "../../stacks/automation/deploy";
import { hubAccountStackConfig, hubQueryStackConfig, workloadStackConfig } from "../../stacks/plan/stack-files";
import { PROJECT_DIR } from "../support/org-model";
import { FakeBehaviour, FakeEngine } from "./fake-engine";
import { entryOf, hubRawConfig, modelWithWorkloads, removeProject, writeModel, writeProject } from "./project";

const PROJECT = "aws-multi-account-observability";
/** The committed dev model's accounts: tests follow Pulumi.dev.yaml rather than copy it. */
const DEV_ACCOUNTS: string[] = hubRawConfig("dev").workloads.map((w: { name: string }) => w.name);
const DEV_WORKLOADS = DEV_ACCOUNTS.map((name) => `dev-${name}`);
const DEV_ACCOUNT_HUBS = DEV_ACCOUNTS.map((name) => `dev-hub-${name}`);
/** Every stack of dev in the order the driver runs its stages. */
const DEV_STACKS = ["dev", ...DEV_ACCOUNT_HUBS, "dev-query", ...DEV_WORKLOADS];
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
  it("runs the stages in order: the shared hub, every account's hub stack, the query stack, then the workload stacks", async () => {
    const { outcome, engine } = await run(PROJECT_DIR, args());
    const done = (stack: string) => engine.calls.findIndex((c) => c.kind === "done" && c.stack === stack);
    const selected = (stack: string) => engine.calls.findIndex((c) => c.kind === "select" && c.stack === stack);
    expect(engine.calls[0]).to.deep.equal({ kind: "select", stack: "dev" });
    for (const stack of [...DEV_ACCOUNT_HUBS, "dev-query", ...DEV_WORKLOADS]) expect(selected(stack), stack).to.be.greaterThan(done("dev"));
    for (const accountHub of DEV_ACCOUNT_HUBS) expect(selected("dev-query"), accountHub).to.be.greaterThan(done(accountHub));
    for (const workload of DEV_WORKLOADS) expect(selected(workload), workload).to.be.greaterThan(done("dev-query"));
    expect(engine.stacksCalled("up").sort()).to.deep.equal([...DEV_STACKS].sort());
    expect(outcome.exitCode).to.equal(0);
  });

  for (const bound of [1, 3]) {
    it(`keeps at most ${bound} account stack(s) in flight in each stage and runs them all`, async function () {
      this.timeout(5000); // a driver that never reaches the bound would hang on waitForPending
      const dir = writeProject(modelWithWorkloads(7));
      try {
        const engine = new FakeEngine({ manual: true });
        const running = run(dir, args({ parallel: bound }), {}, engine);
        // One stage of `count` stacks: never more than the bound at once, and all of them run.
        const drain = async (count: number, limit: number) => {
          for (let remaining = count; remaining > 0; remaining--) {
            const expected = Math.min(limit, remaining);
            await engine.waitForPending(expected);
            expect(engine.pending).to.have.length(expected);
            expect(engine.inFlight).to.equal(expected);
            engine.releaseOldest();
          }
        };
        await engine.waitForPending(1);
        expect(engine.releaseOldest()).to.equal("dev");
        await drain(7, bound);
        await engine.waitForPending(1);
        expect(engine.releaseOldest()).to.equal("dev-query");
        await drain(7, bound);
        const { outcome } = await running;
        expect(outcome.exitCode).to.equal(0);
        expect(engine.maxInFlight).to.equal(bound);
        expect(engine.stacksCalled("up")).to.have.length(16);
      } finally {
        removeProject(dir);
      }
    });
  }

  it("runs no other stack when the shared hub fails, and exits non-zero", async () => {
    const { outcome, engine, out } = await run(PROJECT_DIR, args(), {
      outcome: (stack) => (stack === "dev" ? { ok: false, error: "error: update failed" } : {}),
    });
    expect(engine.calls.filter((c) => c.stack !== "dev")).to.deep.equal([]);
    expect(outcome.exitCode).to.equal(1);
    expect(outcome.report!.results.map((r) => [r.stackName, r.status])).to.deep.equal([
      ["dev", "failed"], ...DEV_STACKS.slice(1).map((stack) => [stack, "skipped"]),
    ]);
    const lines = out.join("\n").split("\n");
    DEV_STACKS.slice(1).forEach((stack, i) => {
      expect(lines).to.include(`[${i + 2}/${DEV_STACKS.length}] ${stack} up skipped: shared hub failed`);
    });
  });

  it("skips only the workload stack of an account whose hub stack fails; the query stack and the other accounts still run", async () => {
    const failing = DEV_ACCOUNT_HUBS[0];
    const { outcome, engine } = await run(PROJECT_DIR, args(), {
      outcome: (stack) => (stack === failing ? { ok: false, error: "error: workspace quota exceeded" } : {}),
    });
    expect(engine.stacksCalled("up")).to.deep.equal(DEV_STACKS.filter((s) => s !== FIRST));
    const status = Object.fromEntries(outcome.report!.results.map((r) => [r.stackName, r.status]));
    expect(status[failing]).to.equal("failed");
    expect(status[FIRST]).to.equal("skipped");
    expect(outcome.report!.results.find((r) => r.stackName === FIRST)!.error).to.equal("its hub stack failed");
    expect(status["dev-query"]).to.equal("succeeded");
    expect(status[SECOND]).to.equal("succeeded");
    expect(outcome.exitCode).to.equal(1);
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
      const accounts = ["acct0", "acct1", "acct2", "acct3"];
      expect(engine.stacksCalled("up").sort()).to.deep.equal(["dev", ...accounts.map((a) => `dev-${a}`), ...accounts.map((a) => `dev-hub-${a}`), "dev-query"].sort());
      expect(outcome.exitCode).to.equal(1);
      const status = Object.fromEntries(outcome.report!.results.filter((r) => !r.stackName.startsWith("dev-hub-")).map((r) => [r.stackName, r.status]));
      expect(status).to.deep.equal({
        dev: "succeeded", "dev-query": "succeeded", "dev-acct0": "succeeded", "dev-acct1": "failed", "dev-acct2": "succeeded", "dev-acct3": "succeeded",
      });
    } finally {
      removeProject(dir);
    }
  });

  it("also keeps going when one workload stack cannot be selected", async () => {
    const { outcome, engine } = await run(PROJECT_DIR, args(), { failSelect: [FIRST] });
    expect(engine.stacksCalled("up")).to.deep.equal(DEV_STACKS.filter((s) => s !== FIRST));
    expect(outcome.exitCode).to.equal(1);
  });
});

describe("deploy driver: options", () => {
  it("--only runs the shared hub, that account's hub stack, the query stack and that account's workload stack", async () => {
    const { outcome, engine } = await run(PROJECT_DIR, args({ only: DEV_ACCOUNTS[1] }));
    expect(engine.stacksCalled("select")).to.deep.equal(["dev", DEV_ACCOUNT_HUBS[1], "dev-query", SECOND]);
    expect(engine.stacksCalled("up")).to.deep.equal(["dev", DEV_ACCOUNT_HUBS[1], "dev-query", SECOND]);
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
    expect(engine.stacksCalled("preview")).to.have.members(DEV_STACKS);
    expect(engine.stacksCalled("up")).to.deep.equal([]);
    expect(outcome.report!.results.every((r) => r.operation === "preview")).to.equal(true);
  });

  it("without --preview updates every stack and previews none", async () => {
    const { engine } = await run(PROJECT_DIR, args());
    expect(engine.stacksCalled("preview")).to.deep.equal([]);
    expect(engine.stacksCalled("up")).to.have.members(DEV_STACKS);
  });

  it("passes the project's policy pack with its config on every preview and every update", async () => {
    const pack = { dir: resolve(PROJECT_DIR, "policies"), configFile: resolve(PROJECT_DIR, "policies", "policy-config.json") };
    for (const preview of [true, false]) {
      const { engine } = await run(PROJECT_DIR, args({ preview }));
      const operations = engine.calls.filter((c) => c.kind === "preview" || c.kind === "up");
      expect(operations).to.have.length(DEV_STACKS.length);
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
  it("sets the config of every stack it creates exactly from the model and leaves the hub's file alone", async () => {
    const { engine } = await run(PROJECT_DIR, args());
    const selects = engine.calls.filter((c) => c.kind === "select");
    expect(selects).to.deep.equal([
      { kind: "select", stack: "dev" },
      ...DEV_ACCOUNTS.map((name) => ({ kind: "select", stack: `dev-hub-${name}`, config: hubAccountStackConfig("dev", entryOf("dev", name)) })),
      { kind: "select", stack: "dev-query", config: hubQueryStackConfig("dev") },
      ...DEV_ACCOUNTS.map((name) => ({ kind: "select", stack: `dev-${name}`, config: workloadStackConfig("dev", name) })),
    ]);
  });

  it("with --org, names every stack org/project/stack and points workloads at the qualified hub", async () => {
    const { engine } = await run(PROJECT_DIR, args({ org: "acme", environment: "prod" }));
    const hub = `acme/${PROJECT}/prod`;
    const model = hubRawConfig("prod");
    const selects = engine.calls.filter((c) => c.kind === "select");
    const names = model.workloads.map((w: { name: string }) => w.name) as string[];
    expect(selects).to.deep.equal([
      { kind: "select", stack: hub },
      ...names.map((name) => ({ kind: "select", stack: `acme/${PROJECT}/prod-hub-${name}`, config: hubAccountStackConfig(hub, entryOf("prod", name)) })),
      { kind: "select", stack: `acme/${PROJECT}/prod-query`, config: hubQueryStackConfig(hub) },
      ...names.map((name) => ({ kind: "select", stack: `acme/${PROJECT}/prod-${name}`, config: workloadStackConfig(hub, name) })),
    ]);
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
    for (const stack of DEV_STACKS) {
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
    const row = (stack: string) => rows.find((r) => r[0] === stack);
    expect(rows.slice(2, 3)).to.deep.equal([["dev", "hub", "preview", "12", "1", "0", "40", "2", "0/3", "1.5 s", "succeeded"]]);
    expect(row(DEV_ACCOUNT_HUBS[0])).to.deep.equal([DEV_ACCOUNT_HUBS[0], DEV_ACCOUNTS[0], "preview", "5", "0", "1", "0", "0", "0/0", "1.5 s", "succeeded"]);
    expect(row("dev-query")).to.deep.equal(["dev-query", "query", "preview", "5", "0", "1", "0", "0", "0/0", "1.5 s", "succeeded"]);
    expect(row(FIRST)).to.deep.equal([FIRST, DEV_ACCOUNTS[0], "preview", "5", "0", "1", "0", "0", "0/0", "1.5 s", "succeeded"]);
    expect(row(SECOND)).to.deep.equal([SECOND, DEV_ACCOUNTS[1], "preview", "0", "0", "0", "0", "0", "2/0", "1.5 s", "failed: error: preview failed: 2 mandatory policy violations"]);
    expect(rows).to.have.length(2 + DEV_STACKS.length + 2);
    expect(rows[rows.length - 2][0]).to.match(/^-+$/);
    // Totals: changes and violations summed over the stacks, the run's wall-clock time, outcome counts.
    const fives = DEV_STACKS.length - 2;
    expect(rows[rows.length - 1]).to.deep.equal([
      "total", `${DEV_STACKS.length} stacks`, "preview",
      String(12 + 5 * fives), "1", String(fives), "40", "2",
      "2/3", rows[rows.length - 1][9], `${DEV_STACKS.length - 1} succeeded, 1 failed`,
    ]);
    expect(rows[rows.length - 1][9]).to.match(/^\d+\.\d s$/);
  });
});

describe("deploy driver: removing an account", () => {
  /** A project whose model lists accounts acct0..acct{count-1}, deployed once into `engine`'s backend. */
  async function deployed(count: number): Promise<{ dir: string; engine: FakeEngine }> {
    const dir = writeProject(modelWithWorkloads(count));
    const engine = new FakeEngine({ outcome: () => ({ changes: { create: 4, update: 0, delete: 0, same: 0, replace: 0 } }) });
    expect((await run(dir, args(), {}, engine)).outcome.exitCode).to.equal(0);
    return { dir, engine };
  }

  /** Takes the account out of the model file; the fake backend reads the hub's config as the CLI reads that file. */
  function dropAccount(dir: string, engine: FakeEngine, count: number, name: string): void {
    const model = modelWithWorkloads(count);
    model.workloads = model.workloads.filter((w: { name: string }) => w.name !== name);
    engine.backend.stack("dev").config["observability:workloads"] = model.workloads;
    writeModel(dir, model);
  }

  it("refuses an account still in the model, before any engine call", async () => {
    const { outcome, engine, err } = await run(PROJECT_DIR, args({ remove: DEV_ACCOUNTS[0] }));
    expect(engine.calls).to.deep.equal([]);
    expect(outcome.exitCode).to.equal(1);
    expect(err.join("\n")).to.contain(`--remove ${DEV_ACCOUNTS[0]}: the account is still in the workloads of Pulumi.dev.yaml`);
  });

  it("updates the shared hub and the query stack first, then destroys and removes the workload stack, then the account's hub stack", async () => {
    const { dir, engine: first } = await deployed(3);
    try {
      dropAccount(dir, first, 3, "acct1");
      const engine = new FakeEngine({}, first.backend);
      const { outcome, out } = await run(dir, args({ remove: "acct1" }), {}, engine);
      expect(outcome.exitCode, out.join("\n")).to.equal(0);
      // The shared stacks' model changed, so both are updated; no other account's stack is touched.
      expect(engine.calls.filter((c) => c.kind !== "done" && c.kind !== "select").map((c) => `${c.kind} ${c.stack}`)).to.deep.equal([
        "up dev", "up dev-query",
        "select-existing dev-acct1", "destroy dev-acct1", "remove dev-acct1",
        "select-existing dev-hub-acct1", "destroy dev-hub-acct1", "remove dev-hub-acct1",
      ]);
      expect([...first.backend.stacks.keys()].sort()).to.deep.equal(["dev", "dev-acct0", "dev-acct2", "dev-hub-acct0", "dev-hub-acct2", "dev-query"]);
      expect(out).to.include("[remove 1/2] dev-acct1 destroy ... done in 1.5 s: 4 resources deleted, stack removed");
      const rows = out.slice(out.indexOf("") + 1).join("\n").split("\n").map((line) => line.split(/\s{2,}/));
      expect(rows.find((r) => r[0] === "dev-hub-acct1")).to.deep.include.members(["dev-hub-acct1", "acct1", "destroy", "4", "succeeded"]);
    } finally {
      removeProject(dir);
    }
  });

  it("stops at a destroy that fails: the account's hub stack stays, and the run fails", async () => {
    const { dir, engine: first } = await deployed(2);
    try {
      dropAccount(dir, first, 2, "acct0");
      const engine = new FakeEngine({ failDestroy: ["dev-acct0"] }, first.backend);
      const { outcome } = await run(dir, args({ remove: "acct0" }), {}, engine);
      expect(outcome.exitCode).to.equal(1);
      expect(engine.stacksCalled("destroy")).to.deep.equal(["dev-acct0"]);
      expect(engine.stacksCalled("remove")).to.deep.equal([]);
      expect(first.backend.stacks.has("dev-acct0") && first.backend.stacks.has("dev-hub-acct0")).to.equal(true);
      const status = Object.fromEntries(outcome.report!.results.map((r) => [r.stackName, [r.status, r.error]]));
      expect(status["dev-acct0"]).to.deep.equal(["failed", "error: destroy failed"]);
      expect(status["dev-hub-acct0"]).to.deep.equal(["skipped", "dev-acct0 was not destroyed"]);
    } finally {
      removeProject(dir);
    }
  });

  it("destroys nothing when the shared hub's update fails", async () => {
    const { dir, engine: first } = await deployed(2);
    try {
      dropAccount(dir, first, 2, "acct0");
      const engine = new FakeEngine({ outcome: (stack) => (stack === "dev" ? { ok: false, error: "error: denied" } : {}) }, first.backend);
      const { outcome } = await run(dir, args({ remove: "acct0" }), {}, engine);
      expect(outcome.exitCode).to.equal(1);
      expect(engine.stacksCalled("destroy")).to.deep.equal([]);
    } finally {
      removeProject(dir);
    }
  });

  it("says there is nothing to do for stacks that do not exist", async () => {
    const dir = writeProject(modelWithWorkloads(2));
    try {
      const { outcome, out } = await run(dir, args({ remove: "gone" }));
      expect(outcome.exitCode).to.equal(0);
      expect(out).to.include("[remove 1/2] dev-gone destroy ... nothing to do: no such stack");
      expect(out).to.include("[remove 2/2] dev-hub-gone destroy ... nothing to do: no such stack");
    } finally {
      removeProject(dir);
    }
  });
});
