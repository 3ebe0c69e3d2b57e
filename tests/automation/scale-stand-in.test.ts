/**
 * The driver at organisation scale, with the real Automation API engine against the
 * stand-in CLI, proven from what the stand-in recorded (argv, PULUMI_HOME, start and end of
 * every invocation): the concurrency bound, independent workspace state per concurrent
 * stack, and resumable runs.
 */
import { expect } from "chai";
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { parse, stringify } from "yaml";
import { FINGERPRINT_TAG, decodeRecord } from "../../stacks/automation/fingerprint";
import { copyProject, hubRawConfig, modelWithWorkloads, removeProject, writeProject } from "./project";
import { DeployRun, Invocation, StandIn, describeRun, maxOverlap, sessions, stackOf } from "./stand-in";

const DEV_ACCOUNTS: string[] = hubRawConfig("dev").workloads.map((w: { name: string }) => w.name);
/** Every stack of dev in the order the driver runs its stages. */
const DEV_STACKS = ["dev", ...DEV_ACCOUNTS.map((name) => `dev-hub-${name}`), "dev-query", ...DEV_ACCOUNTS.map((name) => `dev-${name}`)];

function commands(log: Invocation[], first: string): Invocation[] {
  return log.filter((i) => i.argv[0] === first);
}

function statusOf(run: DeployRun): Record<string, string> {
  return Object.fromEntries(run.outcome.report!.results.map((r) => [r.stackName, r.status]));
}

/** Commands that change a stack: none may run for a stack that is up to date. */
function writes(log: Invocation[]): string[] {
  return log
    .filter((i) => ["up", "preview"].includes(i.argv[0])
      || (i.argv[0] === "stack" && ["init", "tag"].includes(i.argv[1]) && i.argv[2] !== "ls")
      || (i.argv[0] === "config" && ["set-all", "rm-all"].includes(i.argv[1])))
    .map((i) => i.argv.slice(0, 3).join(" ") + ` ${stackOf(i)}`);
}

/**
 * Every stack's commands ran under one PULUMI_HOME, and stacks whose sessions (first
 * command's start to last command's end) overlapped in time never had the same one.
 */
function expectNoSharedHomes(log: Invocation[]): void {
  const all = sessions(log);
  for (const session of all) expect(session.homes, session.stack).to.have.length(1);
  for (const a of all) {
    for (const b of all) {
      if (a.stack < b.stack && a.start < b.end && b.start < a.end) {
        expect(a.homes[0], `${a.stack} and ${b.stack} ran at the same time`).to.not.equal(b.homes[0]);
      }
    }
  }
}

describe("deploy driver at scale against the stand-in CLI", function () {
  // Generous: stand-in processes start slowly on a busy 2-core machine; the run is bounded by the stand-in itself.
  this.timeout(90_000);

  let standIn: StandIn;
  let projectDir: string;

  afterEach(() => {
    removeProject(projectDir);
    standIn.dispose();
  });

  it("with --parallel 3 and 10 accounts: never more than 3 stacks at once, stages in order, and no two concurrent stacks share a PULUMI_HOME", async () => {
    standIn = new StandIn({ operationMs: 200 });
    projectDir = writeProject(modelWithWorkloads(10));
    const run = await standIn.deploy(projectDir, ["--env", "dev", "--parallel", "3", "--preview"]);
    const context = describeRun(run);
    expect(run.outcome.exitCode, context).to.equal(0);
    const workloads = Array.from({ length: 10 }, (_, i) => `dev-acct${i}`);
    const accountHubs = Array.from({ length: 10 }, (_, i) => `dev-hub-acct${i}`);
    const order = ["dev", ...accountHubs, "dev-query", ...workloads];

    // The bound, from the stand-in's own clock: previews in flight at once, and whole stack
    // sessions (select or init .. preview) in flight at once.
    const previews = commands(run.log, "preview").filter((i) => stackOf(i) !== "dev");
    expect(previews.map(stackOf)).to.have.members([...accountHubs, "dev-query", ...workloads]);
    expect(maxOverlap(previews), context).to.equal(3);
    const all = sessions(run.log);
    const accountSessions = all.filter((s) => s.stack !== "dev" && s.stack !== "dev-query");
    expect(accountSessions).to.have.length(20);
    expect(maxOverlap(accountSessions)).to.equal(3);

    // Three lanes, so three homes, each reused in turn, never by two stacks at once.
    expectNoSharedHomes(run.log);
    expect(new Set(accountSessions.map((s) => s.homes[0])).size).to.equal(3);

    // Stages: every account hub stack ends before the query stack starts, which ends before any workload stack starts.
    const sessionOf = (stack: string) => all.find((s) => s.stack === stack)!;
    const query = sessionOf("dev-query");
    for (const stack of accountHubs) expect(sessionOf(stack).end, stack).to.be.at.most(query.start);
    for (const stack of workloads) expect(sessionOf(stack).start, stack).to.be.at.least(query.end);

    // Plugins installed once, before the hub and with nothing else running.
    const installs = commands(run.log, "install");
    expect(installs).to.have.length(1);
    expect(installs[0].end).to.be.at.most(Math.min(...run.log.filter((i) => stackOf(i) !== undefined).map((i) => i.start)));

    // The hub before any workload; a progress line as each stack starts and ends.
    const hubDone = Math.max(...run.log.filter((i) => stackOf(i) === "dev").map((i) => i.end));
    expect(Math.min(...all.filter((s) => s.stack !== "dev").map((s) => s.start))).to.be.at.least(hubDone);
    for (const [index, stack] of order.entries()) {
      expect(run.out).to.include(`[${index + 1}/22] ${stack} preview ...`);
      expect(run.out.some((line) => new RegExp(`^\\[${index + 1}/22\\] ${stack} preview \\.\\.\\. done in \\d+\\.\\d s$`).test(line)), stack).to.equal(true);
    }
  });

  it("update runs over one environment: unchanged stacks are all skipped and nothing changes; one changed account re-runs only the shared hub and its own two stacks; a stack updated by someone else runs again; previews never skip", async () => {
    standIn = new StandIn();
    projectDir = copyProject("dev");
    const first = await standIn.deploy(projectDir, ["--env", "dev"]);
    expect(first.outcome.exitCode, describeRun(first)).to.equal(0);
    expectNoSharedHomes(first.log);
    for (const stack of DEV_STACKS) {
      const state = standIn.stateOf(stack);
      const record = decodeRecord(state.tags?.[FINGERPRINT_TAG]);
      expect(record, `${stack} records what it deployed`).to.not.equal(undefined);
      expect(record!.update).to.match(new RegExp(`^${state.updates.length}@\\d+$`));
    }
    const before = standIn.stateFiles();

    // Nothing changed: every stack is skipped, no command that changes a stack runs.
    const second = await standIn.deploy(projectDir, ["--env", "dev"]);
    expect(second.outcome.exitCode, describeRun(second)).to.equal(0);
    expect(statusOf(second)).to.deep.equal(Object.fromEntries(DEV_STACKS.map((stack) => [stack, "up-to-date"])));
    expect(writes(second.log), "no command that changes a stack").to.deep.equal([]);
    expect(standIn.stateFiles(), "every stack's state is byte for byte what it was").to.deep.equal(before);
    DEV_STACKS.forEach((stack, index) => {
      expect(second.out.some((line) => line.startsWith(`[${index + 1}/${DEV_STACKS.length}] ${stack} up ... skipped: up to date (checked in `))).to.equal(true);
    });
    const table = second.out.slice(second.out.indexOf("") + 1).join("\n").split("\n");
    for (const stack of DEV_STACKS) expect(table.find((line) => line.startsWith(`${stack} `))).to.match(/ skipped: up to date$/);

    // One account's entry of the organisation model changes: the shared hub (its config), that
    // account's hub stack (its entry, in its config) and that account's workload (its record)
    // run; the query stack (the account list did not change) and the other account's stacks are up to date.
    const [unchanged, changed] = DEV_ACCOUNTS;
    const hubFile = join(projectDir, "Pulumi.dev.yaml");
    const model = parse(readFileSync(hubFile, "utf8"));
    const entry = model.config["observability:workloads"].find((w: { name: string }) => w.name === changed);
    entry.team = `${entry.team}2`;
    writeFileSync(hubFile, stringify(model));
    const third = await standIn.deploy(projectDir, ["--env", "dev"]);
    expect(third.outcome.exitCode, describeRun(third)).to.equal(0);
    expect(commands(third.log, "up").map(stackOf)).to.deep.equal(["dev", `dev-hub-${changed}`, `dev-${changed}`]);
    expect(statusOf(third)).to.deep.equal({
      dev: "succeeded", [`dev-hub-${unchanged}`]: "up-to-date", [`dev-hub-${changed}`]: "succeeded", "dev-query": "up-to-date",
      [`dev-${unchanged}`]: "up-to-date", [`dev-${changed}`]: "succeeded",
    });

    // A manual `pulumi up` of the other workload: its history's latest update is no longer the recorded one.
    const file = join(standIn.stateDir, `dev-${unchanged}.json`);
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.updates.push({ ...state.updates[state.updates.length - 1], version: state.updates.length + 1, startTime: new Date(Date.now() + 5000).toISOString() });
    writeFileSync(file, JSON.stringify(state));
    const afterManual = await standIn.deploy(projectDir, ["--env", "dev"]);
    expect(commands(afterManual.log, "up").map(stackOf), describeRun(afterManual)).to.deep.equal([`dev-${unchanged}`]);

    // A preview runs every stack and neither reads nor writes records.
    const preview = await standIn.deploy(projectDir, ["--env", "dev", "--preview"]);
    expect(commands(preview.log, "preview").map(stackOf)).to.have.members(DEV_STACKS);
    expect(preview.log.filter((i) => i.argv[0] === "stack" && i.argv[1] === "tag")).to.deep.equal([]);
  });
});
