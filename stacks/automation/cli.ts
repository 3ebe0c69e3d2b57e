/**
 * `npm run deploy -- --env <env> [--preview] [--only <account>] [--parallel <n>] [--org <org>] [--force]`:
 * previews or updates the hub stack of an environment, then its workload stacks (at most
 * `--parallel` at once, each lane in its own PULUMI_HOME), through the Automation API with
 * the policy pack (and its policy-config.json) enforced. Updates skip stacks whose recorded
 * fingerprint says they are up to date, unless `--force`. Needs the Pulumi CLI and a
 * backend login.
 */
import { resolve } from "path";
import { parseDeployArgs } from "./args";
import { deploy } from "./deploy";
import { createPulumiEngine } from "./pulumi-engine";

async function main(): Promise<number> {
  let args;
  try {
    args = parseDeployArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 2;
  }
  const projectDir = resolve(__dirname, "../..");
  const engine = createPulumiEngine({ workDir: projectDir, pulumiRoot: process.env.PULUMI_ROOT });
  const outcome = await deploy(projectDir, args, engine, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
  return outcome.exitCode;
}

main().then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
