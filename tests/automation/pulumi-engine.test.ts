import { expect } from "chai";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { configEntries } from "../../stacks/automation/config-entries";
import { createLaneHomes, defaultPulumiHome } from "../../stacks/automation/lane-homes";
import { checkPolicyPackRuntime, configValues, countChanges, createPulumiEngine, summariseEngineError, updateId } from "../../stacks/automation/pulumi-engine";
import { workloadStackConfig } from "../../stacks/plan/stack-files";
import { PROJECT_DIR } from "../support/org-model";

describe("Automation API engine adapter", () => {
  let emptyDir: string;
  let savedPath: string | undefined;
  beforeEach(() => {
    emptyDir = mkdtempSync(join(tmpdir(), "no-pulumi-"));
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it("fails with an instruction to install the Pulumi CLI when `pulumi` is not on PATH", async () => {
    process.env.PATH = emptyDir; // a PATH with no pulumi, whatever this machine has installed
    const engine = createPulumiEngine({ workDir: PROJECT_DIR });
    const failure = await engine.selectOrCreate("dev").then(() => undefined, (error: Error) => error);
    expect(failure, "selecting a stack without a Pulumi CLI must fail").to.be.instanceOf(Error);
    expect(failure!.message).to.contain("the Pulumi CLI was not found (looked for pulumi on PATH)")
      .and.contain("install the Pulumi CLI");
  });

  it("names the installation root it looked in when one is given", async () => {
    const engine = createPulumiEngine({ workDir: PROJECT_DIR, pulumiRoot: emptyDir });
    const failure = await engine.selectOrCreate("dev").then(() => undefined, (error: Error) => error);
    expect(failure!.message).to.contain(`looked for ${emptyDir}/bin/pulumi`).and.contain("install the Pulumi CLI");
  });
});

describe("config entries for the Pulumi CLI", () => {
  it("sets a workload stack's list-valued config by path and its strings as they are", () => {
    const hub = "acme/aws-multi-account-observability/dev";
    expect(configEntries(workloadStackConfig(hub, "payments"))).to.deep.equal({
      plain: { "observability:hubStack": hub, "observability:accountName": "payments" },
      paths: { "pulumi:disable-default-providers[0]": "*" },
      structuredKeys: ["pulumi:disable-default-providers"],
    });
  });

  it("walks nested maps and lists, quoting segments a path cannot spell", () => {
    expect(configEntries({ "app:x": { a: [1, true], "b.c": "v" } }).paths).to.deep.equal({
      "app:x.a[0]": "1",
      "app:x.a[1]": "true",
      'app:x["b.c"]': "v",
    });
  });

  it("refuses values the CLI cannot set by path", () => {
    expect(() => configEntries({ "app:x": [] })).to.throw("app:x: an empty list cannot be set by path");
    expect(() => configEntries({ "app:y": null })).to.throw("app:y: cannot set a null value");
  });
});

describe("engine results", () => {
  it("keeps the CLI's last `error:` line of a failed command", () => {
    const message = "code: 255\n stdout: Previewing update (dev)\n\n stderr: error: a policy failed\nerror: preview failed\n err?: Error";
    expect(summariseEngineError(message)).to.equal("error: preview failed");
    expect(summariseEngineError("\nspawn pulumi ENOENT\nmore")).to.equal("spawn pulumi ENOENT");
  });

  it("counts the change kinds the summary reports from the engine's op map", () => {
    expect(countChanges({ create: 3, same: 10, replace: 1, "create-replacement": 1, read: 2 }))
      .to.deep.equal({ create: 3, update: 0, delete: 0, same: 10, replace: 1 });
    expect(countChanges(undefined)).to.deep.equal({ create: 0, update: 0, delete: 0, same: 0, replace: 0 });
  });
});

describe("per-lane Pulumi homes", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "lane-homes-"));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it("gives each lane its own home sharing the base home's plugin cache and a private copy of its login", () => {
    const base = join(scratch, "base");
    mkdirSync(base);
    writeFileSync(join(base, "credentials.json"), '{"current":"https://api.pulumi.com"}');
    const homes = createLaneHomes(base, scratch);
    const [first, second] = [homes.home(0), homes.home(1)];
    expect(first).to.not.equal(second);
    expect(homes.home(0)).to.equal(first);
    for (const home of [first, second]) {
      expect(home.startsWith(homes.root)).to.equal(true);
      expect(lstatSync(join(home, "plugins")).isSymbolicLink()).to.equal(true);
      expect(readlinkSync(join(home, "plugins"))).to.equal(join(base, "plugins"));
      expect(readFileSync(join(home, "credentials.json"), "utf8")).to.equal('{"current":"https://api.pulumi.com"}');
      expect(statSync(join(home, "credentials.json")).mode & 0o777).to.equal(0o600);
      expect(existsSync(join(home, "workspaces"))).to.equal(false); // the CLI makes its own
    }
    homes.remove();
    expect(existsSync(homes.root)).to.equal(false);
    expect(existsSync(join(base, "credentials.json")), "the base home is left alone").to.equal(true);
  });

  it("works without a login file and defaults the base to PULUMI_HOME, else ~/.pulumi", () => {
    const homes = createLaneHomes(join(scratch, "empty-base"), scratch);
    expect(existsSync(join(homes.home(2), "credentials.json"))).to.equal(false);
    expect(homes.home(2).endsWith("lane-3")).to.equal(true);
    homes.remove();
    expect(defaultPulumiHome({ PULUMI_HOME: "/opt/pulumi-home" })).to.equal("/opt/pulumi-home");
    expect(defaultPulumiHome({})).to.match(/\/\.pulumi$/);
  });
});

describe("policy pack runtime check", () => {
  it("passes for the project's pack, whose runtime resolves from the project's node_modules", () => {
    expect(() => checkPolicyPackRuntime({ dir: join(PROJECT_DIR, "policies"), configFile: join(PROJECT_DIR, "policies", "policy-config.json") })).to.not.throw();
  });

  it("refuses a nodejs pack whose folder cannot resolve the policy runtime, naming the fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "lonely-pack-"));
    try {
      copyFileSync(join(PROJECT_DIR, "policies", "PulumiPolicy.yaml"), join(dir, "PulumiPolicy.yaml"));
      expect(() => checkPolicyPackRuntime({ dir, configFile: join(dir, "policy-config.json") }))
        .to.throw(`policy pack ${dir}: @pulumi/pulumi/cmd/run-policy-pack cannot be resolved from the pack's folder`)
        .with.property("message").that.contains("npm ci");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Automation API values the driver reads", () => {
  it("takes structured config values as objects and the rest as their text", () => {
    expect(configValues({
      "observability:hubStack": { value: "dev", secret: false },
      "pulumi:disable-default-providers": { value: '["*"]', secret: false, objectValue: ["*"] } as never,
      "app:token": { value: "s3cret", secret: true },
    })).to.deep.equal({
      "observability:hubStack": { value: "dev", secret: false },
      "pulumi:disable-default-providers": { value: ["*"], secret: false },
      "app:token": { value: "s3cret", secret: true },
    });
  });

  it("names an update by its version and start time", () => {
    expect(updateId({ version: 7, startTime: new Date("2026-01-10T00:00:05.900Z") })).to.equal(`7@${Date.UTC(2026, 0, 10) / 1000 + 5}`);
    expect(updateId({ version: 7, startTime: new Date("invalid") })).to.equal("7");
    expect(updateId(undefined)).to.equal(undefined);
  });
});
