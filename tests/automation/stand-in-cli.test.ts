/**
 * The deploy driver with the real Automation API engine (LocalWorkspace), against a stand-in
 * `pulumi` executable (fixtures/pulumi-stand-in/bin/pulumi) that records every invocation.
 * What the recorded argv shows is what a real CLI would have been asked to do: here, that
 * every preview and update carries the policy pack together with its reviewed config.
 */
import { expect } from "chai";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parseDeployArgs } from "../../stacks/automation/args";
import { DeployOutcome, deploy } from "../../stacks/automation/deploy";
import { createPulumiEngine } from "../../stacks/automation/pulumi-engine";
import { workloadStackConfig } from "../../stacks/plan/stack-files";
import { copyProject, hubRawConfig, removeProject } from "./project";

const STAND_IN_ROOT = join(__dirname, "fixtures", "pulumi-stand-in");
const STAND_IN = join(STAND_IN_ROOT, "bin", "pulumi");
/** The committed dev model's workload accounts (Pulumi.dev.yaml). */
const DEV_ACCOUNTS: string[] = hubRawConfig("dev").workloads.map((w: { name: string }) => w.name);
const DEV_STACKS = ["dev", ...DEV_ACCOUNTS.map((name) => `dev-${name}`)];
const STAND_IN_ENV = ["PULUMI_STAND_IN_LOG", "PULUMI_STAND_IN_STATE", "PULUMI_CONFIG_PASSPHRASE"] as const;

interface Invocation {
  argv: string[];
  cwd: string;
  env: { PULUMI_CONFIG_PASSPHRASE: boolean; PULUMI_AUTOMATION_API: string | null };
}

/** Every value of a repeatable flag, in order. */
function flagValues(argv: string[], flag: string): string[] {
  return argv.flatMap((arg, i) => (arg === flag ? [argv[i + 1]] : []));
}

function stackOf(invocation: Invocation): string | undefined {
  return flagValues(invocation.argv, "--stack")[0];
}

describe("deploy driver against a stand-in pulumi CLI (real Automation API engine)", function () {
  this.timeout(30000); // about 25 short stand-in processes per run (each also stops itself after 15 s)

  let scratch: string;
  let projectDir: string;
  let logFile: string;
  let stateDir: string;
  const savedEnv: Partial<Record<(typeof STAND_IN_ENV)[number], string>> = {};

  before(() => {
    accessSync(STAND_IN, constants.X_OK); // committed with its executable bit
  });

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "pulumi-stand-in-"));
    projectDir = copyProject("dev");
    logFile = join(scratch, "invocations.jsonl");
    stateDir = join(scratch, "stacks");
    mkdirSync(stateDir);
    // The hub stack exists with one earlier update; the workload stacks are new.
    const hubUpdate = { kind: "update", startTime: "2024-01-01T00:00:00Z", endTime: "2024-01-01T00:01:00Z", message: "", environment: {}, config: {}, result: "succeeded", resourceChanges: { create: 3 }, version: 1 };
    writeFileSync(join(stateDir, "dev.json"), JSON.stringify({ config: {}, updates: [hubUpdate] }));
    for (const name of STAND_IN_ENV) savedEnv[name] = process.env[name];
    // The CLI inherits the driver's environment, as it does in CI.
    process.env.PULUMI_STAND_IN_LOG = logFile;
    process.env.PULUMI_STAND_IN_STATE = stateDir;
    process.env.PULUMI_CONFIG_PASSPHRASE = "stand-in passphrase";
  });

  afterEach(() => {
    for (const name of STAND_IN_ENV) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    removeProject(projectDir);
    rmSync(scratch, { recursive: true, force: true });
  });

  function invocations(): Invocation[] {
    if (!existsSync(logFile)) return [];
    return readFileSync(logFile, "utf8").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Invocation);
  }

  async function runDeploy(argv: string[]): Promise<{ outcome: DeployOutcome; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    // What cli.ts does, with the project copy and the stand-in's installation root (PULUMI_ROOT).
    const engine = createPulumiEngine({ workDir: projectDir, pulumiRoot: STAND_IN_ROOT });
    const outcome = await deploy(projectDir, parseDeployArgs(argv), engine, {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { outcome, out, err };
  }

  for (const [operation, command, argv] of [
    ["preview", "preview", ["--env", "dev", "--preview"]],
    ["update", "up", ["--env", "dev"]],
  ] as const) {
    it(`${operation}: every ${command} of the hub and each dev workload carries --policy-pack and --policy-pack-config`, async () => {
      const { outcome, out, err } = await runDeploy([...argv]);
      const log = invocations();
      const context = `stand-in invocations:\n${log.map((i) => i.argv.join(" ")).join("\n")}\n\ndriver output:\n${[...out, ...err].join("\n")}`;
      expect(outcome.exitCode, context).to.equal(0);
      expect(err).to.deep.equal([]);

      const operations = log.filter((i) => i.argv[0] === command);
      expect(operations.map(stackOf), context).to.have.members(DEV_STACKS);
      expect(operations).to.have.length(DEV_STACKS.length);
      expect(log.filter((i) => ["preview", "up"].includes(i.argv[0]) && i.argv[0] !== command)).to.deep.equal([]);
      for (const invocation of operations) {
        const stack = stackOf(invocation);
        expect(flagValues(invocation.argv, "--policy-pack"), `${stack}: ${invocation.argv.join(" ")}`)
          .to.deep.equal([join(projectDir, "policies")]);
        expect(flagValues(invocation.argv, "--policy-pack-config"), `${stack}: ${invocation.argv.join(" ")}`)
          .to.deep.equal([join(projectDir, "policies", "policy-config.json")]);
        if (command === "up") expect(invocation.argv).to.include.members(["--yes", "--skip-preview"]);
      }

      // The hub's operation comes before the first command that names any workload stack.
      const hubOperation = log.findIndex((i) => i.argv[0] === command && stackOf(i) === "dev");
      const firstWorkload = log.findIndex((i) => stackOf(i) !== undefined && stackOf(i) !== "dev");
      expect(hubOperation).to.be.greaterThan(-1);
      expect(firstWorkload, context).to.be.greaterThan(hubOperation);

      // Every stack command ran in the project directory, as the Automation API, with the CI environment.
      for (const invocation of log.filter((i) => stackOf(i) !== undefined)) {
        expect(invocation.cwd).to.equal(projectDir);
        expect(invocation.env).to.include({ PULUMI_CONFIG_PASSPHRASE: true, PULUMI_AUTOMATION_API: "true" });
      }

      // The workload stacks were created and given exactly the config the model implies.
      const inits = log.filter((i) => i.argv[0] === "stack" && i.argv[1] === "init").map((i) => i.argv[2]);
      expect(inits).to.have.members(DEV_STACKS.slice(1));
      for (const name of DEV_ACCOUNTS) {
        const state = JSON.parse(readFileSync(join(stateDir, `dev-${name}.json`), "utf8"));
        expect(state.config, `dev-${name}`).to.deep.equal(workloadStackConfig("dev", name));
      }

      // The changes the stand-in reported reach the summary: from engine events (preview) or history (up).
      expect(outcome.report!.results.map((r) => [r.stackName, r.status, r.changes])).to.deep.equal(
        DEV_STACKS.map((stack) => [
          stack,
          "succeeded",
          stack === "dev"
            ? { create: 0, update: 1, delete: 0, same: 3, replace: 0 }
            : { create: 3, update: 0, delete: 0, same: 0, replace: 0 },
        ]),
      );
      expect(out).to.include(`[dev] Policy pack policies (local: ${join(projectDir, "policies")})`);
    });
  }

  for (const [what, change, message] of [
    ["missing", (file: string) => rmSync(file), "is missing"],
    ["not valid JSON", (file: string) => writeFileSync(file, '{ "no-wildcard-resource": { "enforcementLevel": '), "is not valid JSON"],
  ] as const) {
    it(`stops before any pulumi command when policies/policy-config.json is ${what}`, async () => {
      const configFile = join(projectDir, "policies", "policy-config.json");
      change(configFile);
      const { outcome, out, err } = await runDeploy(["--env", "dev", "--preview"]);
      expect(err.join("\n")).to.contain(`policy pack config ${configFile} ${message}`);
      expect(outcome.exitCode).to.equal(1);
      expect(outcome.report).to.equal(undefined);
      expect(out).to.deep.equal([]);
      expect(invocations(), "the stand-in must not have been run at all").to.deep.equal([]);
    });
  }
});
