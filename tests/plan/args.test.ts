import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { parsePlanArguments, UsageError } from "../../stacks/plan/args";
import { planEnvironment } from "../../stacks/plan/plan";
import { environmentsOf, readHubStackConfig } from "../../stacks/plan/stack-files";
import { PROJECT_DIR } from "../support/org-model";

function usageError(argv: string[]): string {
  try {
    parsePlanArguments(argv);
  } catch (error) {
    expect(error).to.be.instanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
}

describe("plan command line", () => {
  it("reads --env, --out and --no-policy, in either form", () => {
    expect(parsePlanArguments(["--env", "dev"])).to.deep.equal({ environment: "dev", outDir: "out", policy: true });
    expect(parsePlanArguments(["--env=prod", "--out", "plans", "--no-policy"])).to.deep.equal({ environment: "prod", outDir: "plans", policy: false });
  });

  it("refuses an unknown flag with the closest known one", () => {
    expect(usageError(["--env", "dev", "--outt", "x"])).to.match(/^unknown option --outt \(did you mean --out\?\)\nusage: npm run plan/);
    expect(usageError(["--env", "dev", "--no-polcy"])).to.include("did you mean --no-policy?");
    expect(usageError(["--env", "dev", "--verbose"])).to.match(/^unknown option --verbose\n/);
  });

  it("refuses a flag without its value instead of taking the next flag as the value", () => {
    expect(usageError(["--env"])).to.match(/^--env needs a value \(an environment such as dev or prod\)/);
    expect(usageError(["--env", "--out", "x"])).to.match(/^--env needs a value/);
    expect(usageError(["--env", "dev", "--out"])).to.match(/^--out needs a value/);
    expect(usageError([])).to.match(/^--env is required/);
    expect(usageError(["dev"])).to.include("did you mean --env dev?");
    expect(usageError(["--env", "dev", "--env", "prod"])).to.include("--env is given twice");
    expect(usageError(["--env", "dev", "--no-policy=yes"])).to.match(/^--no-policy takes no value/);
  });
});

describe("plan environments", function () {
  this.timeout(60_000);

  it("lists the hub stacks of the project as its environments", () => {
    expect(environmentsOf(PROJECT_DIR)).to.deep.equal(["dev", "prod", "selfhosted"]);
  });

  it("refuses a workload stack as --env and names its environment", () => {
    expect(() => readHubStackConfig(PROJECT_DIR, "dev-payments")).to.throw(
      /"dev-payments" is a workload stack \(account payments of hub stack acme\/aws-multi-account-observability\/dev\), not an environment.*Plan its environment instead: npm run plan -- --env dev$/);
    expect(() => readHubStackConfig(PROJECT_DIR, "staging")).to.throw(/environment "staging" has no stack file Pulumi\.staging\.yaml: environments are dev, prod/);
  });

  it("says a stack file's environment does not match its stack name, before any workload stack runs", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "plan-env-"));
    try {
      const file = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8"));
      file.config["observability:environment"] = "prod";
      fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), stringify(file));
      let message = "";
      await planEnvironment(project, "dev").catch((error) => (message = (error as Error).message));
      expect(message).to.include('config key "observability:environment": Pulumi.dev.yaml says environment "prod", which does not match its stack name "dev"');
      expect(message).not.to.include("must be named");
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
