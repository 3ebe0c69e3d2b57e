/**
 * Running the deploy driver with the real Automation API engine against the stand-in
 * `pulumi` executable (fixtures/pulumi-stand-in/bin/pulumi), and reading what it recorded:
 * every invocation with its argv, PULUMI_HOME, start and end time.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parseDeployArgs } from "../../stacks/automation/args";
import { DeployOutcome, deploy } from "../../stacks/automation/deploy";
import { createPulumiEngine } from "../../stacks/automation/pulumi-engine";

export const STAND_IN_ROOT = join(__dirname, "fixtures", "pulumi-stand-in");
export const STAND_IN = join(STAND_IN_ROOT, "bin", "pulumi");

const STAND_IN_ENV = ["PULUMI_STAND_IN_LOG", "PULUMI_STAND_IN_STATE", "PULUMI_STAND_IN_OPERATION_MS", "PULUMI_CONFIG_PASSPHRASE"] as const;

export interface Invocation {
  argv: string[];
  cwd: string;
  /** PULUMI_HOME the command ran with (null: unset). */
  home: string | null;
  pid: number;
  /** Start and end, epoch ms. */
  start: number;
  end: number;
  code: number;
  env: { PULUMI_CONFIG_PASSPHRASE: boolean; PULUMI_AUTOMATION_API: string | null; PULUMI_SKIP_UPDATE_CHECK: string | null };
}

export interface DeployRun {
  outcome: DeployOutcome;
  out: string[];
  err: string[];
  /** The invocations this run made. */
  log: Invocation[];
}

/** Every value of a repeatable flag, in order. */
export function flagValues(argv: string[], flag: string): string[] {
  return argv.flatMap((arg, i) => (arg === flag ? [argv[i + 1]] : []));
}

/** The stack a command is about: its --stack, or the name `stack init` creates. */
export function stackOf(invocation: Invocation): string | undefined {
  if (invocation.argv[0] === "stack" && invocation.argv[1] === "init") return invocation.argv[2];
  return flagValues(invocation.argv, "--stack")[0];
}

export function commandOf(invocation: Invocation): string {
  return invocation.argv.filter((arg, i) => !arg.startsWith("--") && !invocation.argv[i - 1]?.startsWith("--")).slice(0, 3).join(" ");
}

/** The largest number of intervals open at one instant (an end at t closes before a start at t). */
export function maxOverlap(intervals: { start: number; end: number }[]): number {
  const points = intervals.flatMap((i) => [[i.start, 1], [i.end, -1]] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, delta] of points) {
    open += delta;
    most = Math.max(most, open);
  }
  return most;
}

export interface StackSession {
  stack: string;
  /** From its first command's start to its last command's end. */
  start: number;
  end: number;
  /** Every PULUMI_HOME its commands ran with. */
  homes: string[];
}

/** Per stack, the span of all its commands and the homes they used. */
export function sessions(log: Invocation[]): StackSession[] {
  const byStack = new Map<string, Invocation[]>();
  for (const invocation of log) {
    const stack = stackOf(invocation);
    if (stack !== undefined) byStack.set(stack, [...(byStack.get(stack) ?? []), invocation]);
  }
  return [...byStack].map(([stack, invocations]) => ({
    stack,
    start: Math.min(...invocations.map((i) => i.start)),
    end: Math.max(...invocations.map((i) => i.end)),
    homes: [...new Set(invocations.map((i) => String(i.home)))],
  }));
}

/** A scratch backend (state, log, homes) for the stand-in, set up in the environment the CLI inherits. */
export class StandIn {
  readonly scratch = mkdtempSync(join(tmpdir(), "pulumi-stand-in-"));
  readonly logFile = join(this.scratch, "invocations.jsonl");
  readonly stateDir = join(this.scratch, "stacks");
  /** The base PULUMI_HOME: shared plugin cache and login. */
  readonly baseHome = join(this.scratch, "home");
  /** Where the driver makes its per-lane homes. */
  readonly laneParent = join(this.scratch, "lanes");
  private readonly saved: Partial<Record<(typeof STAND_IN_ENV)[number], string>> = {};
  private consumed = 0;

  constructor(options: { operationMs?: number } = {}) {
    for (const dir of [this.stateDir, this.baseHome, this.laneParent]) mkdirSync(dir);
    for (const name of STAND_IN_ENV) this.saved[name] = process.env[name];
    // The CLI inherits the driver's environment, as it does in CI.
    process.env.PULUMI_STAND_IN_LOG = this.logFile;
    process.env.PULUMI_STAND_IN_STATE = this.stateDir;
    process.env.PULUMI_CONFIG_PASSPHRASE = "stand-in passphrase";
    if (options.operationMs) process.env.PULUMI_STAND_IN_OPERATION_MS = String(options.operationMs);
    else delete process.env.PULUMI_STAND_IN_OPERATION_MS;
  }

  dispose(): void {
    for (const name of STAND_IN_ENV) {
      if (this.saved[name] === undefined) delete process.env[name];
      else process.env[name] = this.saved[name];
    }
    rmSync(this.scratch, { recursive: true, force: true });
  }

  /** Every invocation so far, start and end joined. */
  invocations(): Invocation[] {
    if (!existsSync(this.logFile)) return [];
    const records = readFileSync(this.logFile, "utf8").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
    const ends = new Map<number, { end: number; code: number }>(records.filter((r) => r.end !== undefined).map((r) => [r.pid, r]));
    return records.filter((r) => r.argv !== undefined).map((r) => ({ ...r, end: ends.get(r.pid)?.end ?? Infinity, code: ends.get(r.pid)?.code ?? -1 }));
  }

  stateOf(stack: string): any {
    return JSON.parse(readFileSync(join(this.stateDir, `${encodeURIComponent(stack)}.json`), "utf8"));
  }

  /** The raw state files, by name: for "changed nothing" comparisons. */
  stateFiles(): Record<string, string> {
    return Object.fromEntries(readdirSync(this.stateDir).sort().map((name) => [name, readFileSync(join(this.stateDir, name), "utf8")]));
  }

  /** What cli.ts does, with the project copy and the stand-in's installation root (PULUMI_ROOT). */
  async deploy(projectDir: string, argv: string[]): Promise<DeployRun> {
    const out: string[] = [];
    const err: string[] = [];
    const engine = createPulumiEngine({ workDir: projectDir, pulumiRoot: STAND_IN_ROOT, pulumiHome: this.baseHome, laneParent: this.laneParent });
    const outcome = await deploy(projectDir, parseDeployArgs(argv), engine, {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    const all = this.invocations();
    const log = all.slice(this.consumed);
    this.consumed = all.length;
    return { outcome, out, err, log };
  }
}

/** A readable account of a run for assertion messages. */
export function describeRun(run: DeployRun): string {
  return `stand-in invocations:\n${run.log.map((i) => i.argv.join(" ")).join("\n")}\n\ndriver output:\n${[...run.out, ...run.err].join("\n")}`;
}
