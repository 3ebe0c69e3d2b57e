/**
 * The deploy driver with the real Automation API engine (LocalWorkspace), against a stand-in
 * `pulumi` executable (fixtures/pulumi-stand-in/bin/pulumi) that records every invocation.
 * What the recorded argv shows is what a real CLI would have been asked to do: here, that
 * every preview and update carries the policy pack together with its reviewed config.
 */
import { expect } from "chai";
import { accessSync, constants, readdirSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { hubAccountStackConfig, hubQueryStackConfig, workloadStackConfig } from "../../stacks/plan/stack-files";
import { copyProject, entryOf, hubRawConfig, removeProject, writeModel } from "./project";
import { DeployRun, Invocation, STAND_IN, StandIn, describeRun, flagValues, stackOf } from "./stand-in";

/** The committed dev model's workload accounts (Pulumi.dev.yaml). */
const DEV_ACCOUNTS: string[] = hubRawConfig("dev").workloads.map((w: { name: string }) => w.name);
/** Every stack of dev in the order the driver runs its stages. */
const DEV_STACKS = ["dev", ...DEV_ACCOUNTS.map((name) => `dev-hub-${name}`), "dev-query", ...DEV_ACCOUNTS.map((name) => `dev-${name}`)];

describe("deploy driver against a stand-in pulumi CLI (real Automation API engine)", function () {
  this.timeout(30000); // about 40 short stand-in processes per run (each also stops itself after 15 s)

  let standIn: StandIn;
  let projectDir: string;

  before(() => {
    accessSync(STAND_IN, constants.X_OK); // committed with its executable bit
  });

  beforeEach(() => {
    standIn = new StandIn();
    projectDir = copyProject("dev");
    // The hub stack exists with one earlier update; the workload stacks are new.
    const hubUpdate = { kind: "update", startTime: "2024-01-01T00:00:00Z", endTime: "2024-01-01T00:01:00Z", message: "", environment: {}, config: {}, result: "succeeded", resourceChanges: { create: 3 }, version: 1 };
    writeFileSync(join(standIn.stateDir, "dev.json"), JSON.stringify({ config: {}, updates: [hubUpdate] }));
  });

  afterEach(() => {
    removeProject(projectDir);
    standIn.dispose();
  });

  function invocations(): Invocation[] {
    return standIn.invocations();
  }

  async function runDeploy(argv: string[]): Promise<DeployRun & { context: string }> {
    const run = await standIn.deploy(projectDir, argv);
    return { ...run, context: describeRun(run) };
  }

  for (const [operation, command, argv] of [
    ["preview", "preview", ["--env", "dev", "--preview"]],
    ["update", "up", ["--env", "dev"]],
  ] as const) {
    it(`${operation}: every ${command} of the hub and each dev workload carries --policy-pack and --policy-pack-config`, async () => {
      const { outcome, out, err, log, context } = await runDeploy([...argv]);
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

      // Every stack command ran in the project directory, as the Automation API, with the CI
      // environment, in one of the run's own PULUMI_HOMEs (one per lane, removed at the end).
      for (const invocation of log.filter((i) => stackOf(i) !== undefined)) {
        expect(invocation.cwd).to.equal(projectDir);
        expect(invocation.env).to.include({ PULUMI_CONFIG_PASSPHRASE: true, PULUMI_AUTOMATION_API: "true", PULUMI_SKIP_UPDATE_CHECK: "true" });
        expect(invocation.home, invocation.argv.join(" ")).to.match(new RegExp(`^${standIn.laneParent}/pulumi-deploy-lanes-[^/]+/lane-\\d+$`));
      }
      expect(readdirSync(standIn.laneParent), "lane homes are removed when the run ends").to.deep.equal([]);

      // The program's plugins were installed once, in the shared home, before any stack command.
      const installs = log.filter((i) => i.argv[0] === "install");
      expect(installs.map((i) => [i.argv.filter((arg) => arg !== "--non-interactive"), i.home]))
        .to.deep.equal([[["install", "--no-dependencies"], standIn.baseHome]]);
      expect(installs[0].end).to.be.at.most(Math.min(...log.filter((i) => stackOf(i) !== undefined).map((i) => i.start)));

      // The per-account and query stacks were created and given exactly the config the model implies.
      const inits = log.filter((i) => i.argv[0] === "stack" && i.argv[1] === "init").map((i) => i.argv[2]);
      expect(inits).to.have.members(DEV_STACKS.slice(1));
      for (const name of DEV_ACCOUNTS) {
        expect(standIn.stateOf(`dev-${name}`).config, `dev-${name}`).to.deep.equal(workloadStackConfig("dev", name));
        expect(standIn.stateOf(`dev-hub-${name}`).config, `dev-hub-${name}`).to.deep.equal(hubAccountStackConfig("dev", entryOf("dev", name)));
      }
      expect(standIn.stateOf("dev-query").config).to.deep.equal(hubQueryStackConfig("dev"));

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

describe("removing an account against the stand-in CLI (real Automation API engine)", function () {
  this.timeout(60000);

  it("destroys the workload stack, then the account's hub stack, and removes both from the backend; the others stay", async () => {
    const standIn = new StandIn();
    const projectDir = copyProject("dev");
    try {
      const first = await standIn.deploy(projectDir, ["--env", "dev"]);
      expect(first.outcome.exitCode, describeRun(first)).to.equal(0);
      const [kept, removed] = DEV_ACCOUNTS;
      const model = hubRawConfig("dev");
      model.workloads = model.workloads.filter((w: { name: string }) => w.name !== removed);
      writeModel(projectDir, model);

      const run = await standIn.deploy(projectDir, ["--env", "dev", "--remove", removed]);
      expect(run.outcome.exitCode, describeRun(run)).to.equal(0);
      const commands = run.log.map((i) => i.argv.filter((a) => a !== "--non-interactive").join(" "));
      const destroys = commands.filter((c) => c.startsWith("destroy"));
      expect(destroys.map((c) => c.replace(/ --exec-kind \S+/, ""))).to.deep.equal([
        `destroy --yes --skip-preview --color never --stack dev-${removed}`,
        `destroy --yes --skip-preview --color never --stack dev-hub-${removed}`,
      ]);
      expect(commands.filter((c) => c.startsWith("stack rm"))).to.deep.equal([`stack rm --yes dev-${removed}`, `stack rm --yes dev-hub-${removed}`]);
      const files = Object.keys(standIn.stateFiles()).map((f) => f.replace(/\.json$/, "")).sort();
      expect(files).to.deep.equal(["dev", `dev-${kept}`, `dev-hub-${kept}`, "dev-query"].sort());
      expect(run.out).to.include(`[remove 2/2] dev-hub-${removed} destroy ... done in ${/done in (\d+\.\d s)/.exec(run.out.find((l) => l.startsWith(`[remove 2/2]`) && l.includes("done in"))!)![1]}: 3 resources deleted, stack removed`);
    } finally {
      removeProject(projectDir);
      standIn.dispose();
    }
  });
});
