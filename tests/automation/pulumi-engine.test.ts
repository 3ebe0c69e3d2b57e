import { expect } from "chai";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { configEntries } from "../../stacks/automation/config-entries";
import { countChanges, createPulumiEngine, summariseEngineError } from "../../stacks/automation/pulumi-engine";
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
