import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../support/org-model";

/** Runs a TypeScript entry point the way the npm scripts do. */
function runTs(args: string[], unset: string[] = []) {
  const env = { ...process.env };
  for (const name of unset) delete env[name];
  return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", ...args], { cwd: PROJECT_DIR, encoding: "utf8", env, timeout: 60_000 });
}

describe("a clean run prints only what the operator needs", function () {
  this.timeout(90_000);

  // Without the policy pack: its findings are the pack's concern, this test is about noise.
  it("npm run plan -- --env dev: exit 0, nothing on stderr, no runtime or SDK warnings", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-quiet-"));
    try {
      const run = runTs(["stacks/plan/cli.ts", "--env", "dev", "--out", out, "--no-policy"]);
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stderr).to.equal("");
      expect(run.stdout).not.to.match(/warning:|Warning:|Undefined value/);
      expect(run.stdout).to.include("## Accounts");
      expect(fs.existsSync(path.join(out, "dev", "plan.json"))).to.equal(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("the test process loads the AWS SDK without its Node support notice", () => {
    const run = runTs(["-r", "./tests/support/test-process.ts", "-e",
      "new (require('@aws-sdk/client-secrets-manager').SecretsManagerClient)({ region: 'eu-west-1' })"], ["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).not.to.include("NodeVersionSupportWarning");
  });
});
