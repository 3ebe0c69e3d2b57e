/**
 * `npm run policy -- <plan dir> [--config <file.json>] [--json]`: evaluates the pack's policies
 * over an offline plan of one environment (`out/<env>/<stack>/resources.json`) and exits 1 on
 * any mandatory violation, 2 when the plan or config cannot be read. Without `--config` it
 * applies the project's reviewed exceptions (policies/policy-config.json), as the plan and the
 * deploy driver do.
 */
import * as fs from "fs";
import { RESOURCE_RULES, STACK_RULES } from "./catalog";
import { PackConfig, validatePackConfig } from "./config";
import { evaluatePlan } from "./evaluate";
import { loadProjectPolicyConfig, PROJECT_POLICY_CONFIG_FILE } from "./project-config";
import { formatPlanEvaluation } from "./report";

const USAGE = "usage: npm run policy -- out/<env> [--config <policy-config.json>] [--json]  (default config: policies/policy-config.json)";

interface CliArgs {
  planDir: string;
  configFile?: string;
  json: boolean;
}

function parseArgs(argv: string[]): CliArgs {
  const rest = [...argv];
  let planDir: string | undefined;
  let configFile: string | undefined;
  let json = false;
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === "--json") json = true;
    else if (arg === "--config") {
      configFile = rest.shift();
      if (!configFile) throw new Error("--config needs a file");
    } else if (arg === "--help" || arg === "-h") throw new Error(USAGE);
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else if (planDir === undefined) planDir = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (!planDir) throw new Error("missing plan directory");
  return { planDir, configFile, json };
}

function readConfig(file: string | undefined): PackConfig {
  if (!file) return loadProjectPolicyConfig();
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: cannot read policy config (${(error as Error).message})`);
  }
  return validatePackConfig(raw, [...RESOURCE_RULES, ...STACK_RULES], file);
}

export function main(argv: string[]): number {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    const message = (error as Error).message;
    console.error(message === USAGE ? USAGE : `${message}\n${USAGE}`);
    return 2;
  }
  try {
    const result = evaluatePlan(args.planDir, { config: readConfig(args.configFile) });
    console.log(args.json ? JSON.stringify(result, null, 2) : `policy config: ${args.configFile ?? PROJECT_POLICY_CONFIG_FILE}\n${formatPlanEvaluation(result)}`);
    return result.mandatory > 0 ? 1 : 0;
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
