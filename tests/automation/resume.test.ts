/**
 * Resumable runs, lanes and progress with the injected engine: what is skipped, what runs
 * again and why, observed through the fake backend's tags and update history.
 */
import { expect } from "chai";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { DeployArgs } from "../../stacks/automation/args";
import { deploy } from "../../stacks/automation/deploy";
import { FINGERPRINT_TAG, canonicalJson, decodeRecord, encodeRecord, isUpToDate, sourcesDigest, treeDigest } from "../../stacks/automation/fingerprint";
import { PROJECT_DIR } from "../support/org-model";
import { FakeBackend, FakeBehaviour, FakeEngine } from "./fake-engine";
import { hubRawConfig, modelWithWorkloads, removeProject, writeModel, writeProject } from "./project";

const DEV_ACCOUNTS: string[] = hubRawConfig("dev").workloads.map((w: { name: string }) => w.name);
const DEV_ACCOUNT_HUBS = DEV_ACCOUNTS.map((name) => `dev-hub-${name}`);
const DEV_WORKLOADS = DEV_ACCOUNTS.map((name) => `dev-${name}`);
/** Every stack of dev in the order the driver runs its stages. */
const DEV_STACKS = ["dev", ...DEV_ACCOUNT_HUBS, "dev-query", ...DEV_WORKLOADS];
const DAY_MS = 24 * 3600 * 1000;

function args(overrides: Partial<DeployArgs> = {}): DeployArgs {
  return { environment: "dev", preview: false, parallel: 4, ...overrides };
}

/** The shared hub's `hubSettings` output. */
function sharedOutputs(accountNames = DEV_ACCOUNTS): Record<string, unknown> {
  return { hubSettings: { environment: "dev", grafanaUrl: "https://g", accountNames } };
}

/** An account hub stack's `workloads` output: that account's record, with the team of its entry. */
function accountHubOutputs(name: string, team: unknown, workspaceArn = `arn:aws:aps:eu-west-1:1:workspace/ws-${name}`): Record<string, unknown> {
  // As stacks/hub-account.ts exports them: the record for the workload stack, and the workspace id.
  return { workspaceId: workspaceArn.split("/").pop(), workloads: { [name]: { accountName: name, team, workspaceArn } } };
}

/** What each stack's `up` leaves as outputs; an account hub stack's record follows the entry the driver set on it. */
function outputsOf(backend: FakeBackend): (stack: string) => Record<string, unknown> {
  return (stack) => {
    if (stack === "dev") return sharedOutputs();
    const account = /^dev-hub-(.+)$/.exec(stack)?.[1];
    const entry = JSON.parse(String(backend.stack(stack).config["observability:account"] ?? "{}")) as { team?: unknown };
    return account ? accountHubOutputs(account, entry.team) : { accountName: stack };
  };
}

/** The summary table's lines (printed after an empty line). */
function tableLines(out: string[]): string[] {
  return out.slice(out.indexOf("") + 1).join("\n").split("\n");
}

interface Run {
  engine: FakeEngine;
  out: string[];
  err: string[];
  exitCode: number;
  status: Record<string, string>;
}

/** One deployment over `backend`; the clock starts at `start` and advances 1.5 s per reading. */
async function run(backend: FakeBackend, deployArgs: DeployArgs, behaviour: FakeBehaviour = {}, options: { projectDir?: string; start?: number } = {}): Promise<Run> {
  const engine = new FakeEngine({ outputs: outputsOf(backend), ...behaviour }, backend);
  const out: string[] = [];
  const err: string[] = [];
  let clock = options.start ?? Date.UTC(2026, 0, 10);
  const outcome = await deploy(options.projectDir ?? PROJECT_DIR, deployArgs, engine, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    now: () => (clock += 1500),
  });
  const status = Object.fromEntries((outcome.report?.results ?? []).map((r) => [r.stackName, r.status]));
  return { engine, out, err, exitCode: outcome.exitCode, status };
}

const allUpToDate = Object.fromEntries(DEV_STACKS.map((stack) => [stack, "up-to-date"]));
const allSucceeded = Object.fromEntries(DEV_STACKS.map((stack) => [stack, "succeeded"]));

describe("resumable update runs (injected engine)", () => {
  it("records what each update deployed, then skips every unchanged stack: no update, no tag written", async () => {
    const backend = new FakeBackend();
    const first = await run(backend, args());
    expect(first.status).to.deep.equal(allSucceeded);
    for (const stack of DEV_STACKS) {
      const record = decodeRecord(backend.stack(stack).tags[FINGERPRINT_TAG]);
      expect(record, stack).to.not.equal(undefined);
      expect(record!.update, stack).to.equal("1"); // the update it made
    }
    const tagsAfterFirst = JSON.stringify([...backend.stacks]);

    const second = await run(backend, args());
    expect(second.exitCode).to.equal(0);
    expect(second.status).to.deep.equal(allUpToDate);
    expect(second.engine.stacksCalled("up")).to.deep.equal([]);
    expect(JSON.stringify([...backend.stacks]), "nothing in the backend changed").to.equal(tagsAfterFirst);
    const table = tableLines(second.out);
    for (const stack of DEV_STACKS) {
      expect(table.find((line) => line.startsWith(`${stack} `))).to.match(/ skipped: up to date$/);
    }
    expect(table[table.length - 1]).to.match(new RegExp(`^total .* ${DEV_STACKS.length} skipped: up to date$`));
  });

  it("--force updates every stack anyway and records the new updates", async () => {
    const backend = new FakeBackend();
    await run(backend, args());
    const forced = await run(backend, args({ force: true }));
    expect(forced.status).to.deep.equal(allSucceeded);
    expect(forced.engine.stacksCalled("up")).to.have.members(DEV_STACKS);
    for (const stack of DEV_STACKS) expect(decodeRecord(backend.stack(stack).tags[FINGERPRINT_TAG])!.update).to.equal("2");
    expect((await run(backend, args())).status).to.deep.equal(allUpToDate);
  });

  it("previews never skip and record nothing", async () => {
    const backend = new FakeBackend();
    await run(backend, args());
    const tags = JSON.stringify(DEV_STACKS.map((stack) => backend.stack(stack).tags));
    const preview = await run(backend, args({ preview: true }));
    expect(preview.status).to.deep.equal(allSucceeded);
    expect(preview.engine.stacksCalled("preview")).to.have.members(DEV_STACKS);
    expect(JSON.stringify(DEV_STACKS.map((stack) => backend.stack(stack).tags))).to.equal(tags);
  });

  it("when one account's entry of the model changes, re-runs the shared hub, that account's hub stack and its workload stack, and nothing else", async () => {
    const raw = hubRawConfig("dev");
    const dir = writeProject(raw);
    try {
      const backend = new FakeBackend();
      await run(backend, args(), {}, { projectDir: dir });
      const [changed, unchanged] = DEV_ACCOUNTS;
      raw.workloads.find((w: { name: string }) => w.name === changed).team = "new-team";
      writeModel(dir, raw);
      backend.stack("dev").config["observability:workloads"] = raw.workloads; // the CLI reads the hub's config from Pulumi.dev.yaml
      const next = await run(backend, args(), {}, { projectDir: dir });
      expect(next.engine.stacksCalled("up")).to.deep.equal(["dev", `dev-hub-${changed}`, `dev-${changed}`]);
      expect(next.status).to.deep.equal({
        dev: "succeeded", [`dev-hub-${changed}`]: "succeeded", [`dev-hub-${unchanged}`]: "up-to-date", "dev-query": "up-to-date",
        [`dev-${changed}`]: "succeeded", [`dev-${unchanged}`]: "up-to-date",
      });
    } finally {
      removeProject(dir);
    }
  });

  it("when an account joins, re-runs the shared hub, the query stack and the new account's stacks, and no other account's stack", async () => {
    const raw = hubRawConfig("dev");
    const dir = writeProject({ ...raw, workloads: raw.workloads.slice(0, 1) });
    try {
      const backend = new FakeBackend();
      const sharedOf = (names: string[]) => ({ outputs: (stack: string) => (stack === "dev" ? sharedOutputs(names) : outputsOf(backend)(stack)) });
      await run(backend, args(), sharedOf([DEV_ACCOUNTS[0]]), { projectDir: dir });
      writeModel(dir, raw);
      backend.stack("dev").config["observability:workloads"] = raw.workloads;
      const next = await run(backend, args(), sharedOf(DEV_ACCOUNTS), { projectDir: dir });
      const [first, joined] = DEV_ACCOUNTS;
      expect(next.engine.stacksCalled("up")).to.deep.equal(["dev", `dev-hub-${joined}`, "dev-query", `dev-${joined}`]);
      expect(next.status[`dev-hub-${first}`]).to.equal("up-to-date");
      expect(next.status[`dev-${first}`]).to.equal("up-to-date");
    } finally {
      removeProject(dir);
    }
  });

  it("re-runs a workload stack when its account hub stack's record changed, even if the shared hub did not", async () => {
    const backend = new FakeBackend();
    await run(backend, args());
    const [first] = DEV_ACCOUNTS;
    backend.stack(`dev-hub-${first}`).updates++; // e.g. a manual pulumi up of the account's hub stack replaced its workspace
    const next = await run(backend, args(), {
      outputs: (stack) => (stack === `dev-hub-${first}` ? accountHubOutputs(first, "t", "arn:aws:aps:eu-west-1:1:workspace/ws-replaced") : outputsOf(backend)(stack)),
    });
    // The query stack finds the workspaces through AMP's API: a replaced one re-runs it too.
    expect(next.engine.stacksCalled("up")).to.deep.equal([`dev-hub-${first}`, "dev-query", `dev-${first}`]);
  });

  it("re-runs a workload whose own stack config changed", async () => {
    const backend = new FakeBackend();
    await run(backend, args());
    const [, second] = DEV_ACCOUNTS;
    backend.stack(`dev-${second}`).config["observability:deployRoleArn"] = "arn:aws:iam::111111111111:role/override";
    const next = await run(backend, args());
    expect(next.engine.stacksCalled("up")).to.deep.equal([`dev-${second}`]);
  });

  it("re-runs a stack updated by anything else since its record (a manual pulumi up, a refresh, a failed run)", async () => {
    const backend = new FakeBackend();
    await run(backend, args());
    const [first] = DEV_ACCOUNTS;
    backend.stack(`dev-${first}`).updates++; // someone else's update is now the latest in its history
    const next = await run(backend, args());
    expect(next.engine.stacksCalled("up")).to.deep.equal([`dev-${first}`]);
  });

  it("a failed update records nothing, so the stack runs again next time", async () => {
    const backend = new FakeBackend();
    const [first] = DEV_ACCOUNTS;
    const failing = await run(backend, args(), { outcome: (stack) => (stack === `dev-${first}` ? { ok: false, error: "error: quota exceeded" } : {}) });
    expect(failing.exitCode).to.equal(1);
    expect(backend.stack(`dev-${first}`).tags[FINGERPRINT_TAG]).to.equal(undefined);
    const next = await run(backend, args());
    expect(next.engine.stacksCalled("up")).to.deep.equal([`dev-${first}`]);
    expect(next.exitCode).to.equal(0);
  });

  it("a stack whose record cannot be written still succeeds, says so, and runs again next time", async () => {
    const backend = new FakeBackend();
    const [first] = DEV_ACCOUNTS;
    const noTags = await run(backend, args(), { failSetTag: [`dev-${first}`] });
    expect(noTags.exitCode).to.equal(0);
    const row = tableLines(noTags.out).find((line) => line.startsWith(`dev-${first} `));
    expect(row).to.contain("succeeded (fingerprint not recorded (error: stack tags not supported in diy mode): the next run updates it again)");
    expect((await run(backend, args())).engine.stacksCalled("up")).to.deep.equal([`dev-${first}`]);
  });

  it("re-runs every stack when the program's sources change, but not for a change to the deploy driver", async () => {
    const dir = writeProject(hubRawConfig("dev"));
    try {
      const backend = new FakeBackend();
      await run(backend, args(), {}, { projectDir: dir });
      mkdirSync(join(dir, "stacks", "automation"), { recursive: true });
      writeFileSync(join(dir, "stacks", "automation", "new-option.ts"), "export const x = 1;\n");
      writeFileSync(join(dir, "stacks", "README.md"), "notes\n");
      expect((await run(backend, args(), {}, { projectDir: dir })).status).to.deep.equal(allUpToDate);
      writeFileSync(join(dir, "stacks", "hub.ts"), "export const y = 2;\n");
      expect((await run(backend, args(), {}, { projectDir: dir })).status).to.deep.equal(allSucceeded);
      writeFileSync(join(dir, "policies", "policy-config.json"), JSON.stringify({ "no-wildcard-resource": { enforcementLevel: "advisory" } }));
      expect((await run(backend, args(), {}, { projectDir: dir })).status).to.deep.equal(allSucceeded);
    } finally {
      removeProject(dir);
    }
  });

  it("re-runs the stacks holding the Grafana token when its rotation window turns (the shared hub, the account hub stacks, the query stack), and no workload stack", async () => {
    const backend = new FakeBackend();
    const ttlDays: number = hubRawConfig("dev").grafana.tokenTtlDays;
    const windowMs = Math.floor(ttlDays / 2) * DAY_MS;
    const start = Math.floor(Date.UTC(2026, 0, 10) / windowMs) * windowMs + 1000;
    await run(backend, args(), {}, { start });
    expect((await run(backend, args(), {}, { start: start + windowMs / 2 })).status).to.deep.equal(allUpToDate);
    const turned = await run(backend, args(), {}, { start: start + windowMs });
    expect(turned.engine.stacksCalled("up")).to.deep.equal(["dev", ...DEV_ACCOUNT_HUBS, "dev-query"]);
  });
});

describe("lanes, preparation and progress (injected engine)", () => {
  it("prepares once with the policy packs before any stack, and releases the engine after the run", async () => {
    const { engine } = await run(new FakeBackend(), args());
    expect(engine.prepared).to.deep.equal([{ policyPacks: [{ dir: join(PROJECT_DIR, "policies"), configFile: join(PROJECT_DIR, "policies", "policy-config.json") }] }]);
    expect(engine.disposed).to.equal(1);
  });

  it("stops before any stack when preparing fails, with its message", async () => {
    const engine = new FakeEngine();
    engine.prepare = async () => {
      throw new Error("policy pack /x: @pulumi/policy cannot be resolved from the pack's folder");
    };
    const err: string[] = [];
    const outcome = await deploy(PROJECT_DIR, args(), engine, { out: () => undefined, err: (line) => err.push(line) });
    expect(outcome).to.deep.equal({ exitCode: 1 });
    expect(engine.calls).to.deep.equal([]);
    expect(err).to.deep.equal(["policy pack /x: @pulumi/policy cannot be resolved from the pack's folder"]);
    expect(engine.disposed).to.equal(1);
  });

  it("runs the shared hub and the query stack in lane 0 and never two operations in one lane at once (7 accounts, --parallel 3)", async function () {
    this.timeout(5000);
    const dir = writeProject(modelWithWorkloads(7));
    try {
      const engine = new FakeEngine({ manual: true });
      const running = deploy(dir, args({ parallel: 3 }), engine, { out: () => undefined, err: () => undefined });
      const drain = async (count: number) => {
        for (let remaining = count; remaining > 0; remaining--) {
          await engine.waitForPending(Math.min(3, remaining));
          engine.releaseOldest();
        }
      };
      await drain(1);
      await drain(7);
      await drain(1);
      await drain(7);
      expect((await running).exitCode).to.equal(0);
      expect(engine.lanes[0]).to.deep.equal({ stack: "dev", lane: 0 });
      expect(engine.lanes.find((l) => l.stack === "dev-query")).to.deep.equal({ stack: "dev-query", lane: 0 });
      expect(new Set(engine.lanes.filter((l) => l.stack.startsWith("dev-hub-")).map((l) => l.lane))).to.deep.equal(new Set([0, 1, 2]));
      expect(new Set(engine.lanes.filter((l) => /^dev-acct/.test(l.stack)).map((l) => l.lane))).to.deep.equal(new Set([0, 1, 2]));
      expect(engine.laneConflict).to.equal(undefined);
      expect(engine.maxInFlight).to.equal(3);
    } finally {
      removeProject(dir);
    }
  });

  it("prints a numbered line when each stack starts and when it ends", async () => {
    const backend = new FakeBackend();
    const [first, second] = DEV_ACCOUNTS;
    const total = DEV_STACKS.length;
    const firstRun = await run(backend, args({ parallel: 1 }), { outcome: (stack) => (stack === `dev-${second}` ? { ok: false, error: "error: quota exceeded\ndetail" } : {}) });
    const done = (n: number, stack: string) => [`[${n}/${total}] ${stack} up ...`, `[${n}/${total}] ${stack} up ... done in 1.5 s`];
    const upToDate = (n: number, stack: string) => [`[${n}/${total}] ${stack} up ...`, `[${n}/${total}] ${stack} up ... skipped: up to date (checked in 1.5 s)`];
    expect(firstRun.out.filter((line) => /^\[\d+\/\d+\] /.test(line))).to.deep.equal([
      ...done(1, "dev"),
      ...done(2, `dev-hub-${first}`),
      ...done(3, `dev-hub-${second}`),
      ...done(4, "dev-query"),
      ...done(5, `dev-${first}`),
      `[6/${total}] dev-${second} up ...`,
      `[6/${total}] dev-${second} up ... failed in 1.5 s: error: quota exceeded`,
    ]);
    const secondRun = await run(backend, args({ parallel: 1 }));
    expect(secondRun.out.filter((line) => /^\[\d+\/\d+\] /.test(line))).to.deep.equal([
      ...upToDate(1, "dev"),
      ...upToDate(2, `dev-hub-${first}`),
      ...upToDate(3, `dev-hub-${second}`),
      ...upToDate(4, "dev-query"),
      ...upToDate(5, `dev-${first}`),
      ...done(6, `dev-${second}`),
    ]);
  });
});

describe("fingerprint records", () => {
  const fingerprint = "a".repeat(64);

  it("round-trip within a stack tag value's 256 characters and refuse other formats", () => {
    const value = encodeRecord({ fingerprint, update: "12@1767000000" });
    expect(value.length).to.be.at.most(256);
    expect(decodeRecord(value)).to.deep.equal({ fingerprint, update: "12@1767000000" });
    expect(decodeRecord(undefined)).to.equal(undefined);
    expect(decodeRecord(`0:${fingerprint}:1`)).to.equal(undefined);
    expect(decodeRecord("garbage")).to.equal(undefined);
  });

  it("match only the same fingerprint for the update that is still the latest", () => {
    const tag = encodeRecord({ fingerprint, update: "3" });
    expect(isUpToDate(fingerprint, tag, "3")).to.equal(true);
    expect(isUpToDate(fingerprint, tag, "4")).to.equal(false);
    expect(isUpToDate("b".repeat(64), tag, "3")).to.equal(false);
    expect(isUpToDate(fingerprint, undefined, "3")).to.equal(false);
    expect(isUpToDate(fingerprint, tag, undefined)).to.equal(false);
  });

  it("hash values independently of key order, and the project's sources deterministically", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).to.equal('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    const pack = { dir: join(PROJECT_DIR, "policies"), configFile: join(PROJECT_DIR, "policies", "policy-config.json") };
    expect(sourcesDigest(PROJECT_DIR, [pack])).to.equal(sourcesDigest(PROJECT_DIR, [pack])).and.match(/^[0-9a-f]{64}$/);
    expect(treeDigest(PROJECT_DIR, ["no-such-file"])).to.not.equal(treeDigest(PROJECT_DIR, ["Pulumi.yaml"]));
  });
});
