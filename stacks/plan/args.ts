/** Command line of `npm run plan`: every flag is known, every value is given, or it says what is wrong. */
import { closestMatch } from "../config/suggest";

export const PLAN_USAGE = "usage: npm run plan -- --env <environment: dev, prod, selfhosted, ... (a Pulumi.<env>.yaml)> [--out out] [--no-policy]";

export interface PlanArguments {
  environment: string;
  /** The folder that holds one subfolder per environment (`<out>/<env>/`). */
  outDir: string;
  policy: boolean;
}

/** A command line the plan cannot run; the message says what to type instead. */
export class UsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n${PLAN_USAGE}`);
    this.name = "UsageError";
  }
}

const VALUE_FLAGS = ["--env", "--out"];
const SWITCHES = ["--no-policy"];

export function parsePlanArguments(argv: string[]): PlanArguments {
  const values: Record<string, string> = {};
  let policy = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (SWITCHES.includes(flag)) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      policy = false;
    } else if (VALUE_FLAGS.includes(flag)) {
      const value = inline ?? argv[i + 1];
      if (value === undefined || value === "" || (inline === undefined && value.startsWith("-"))) {
        throw new UsageError(`${flag} needs a value${flag === "--env" ? " (an environment such as dev or prod)" : " (a folder such as out)"}`);
      }
      if (values[flag] !== undefined) throw new UsageError(`${flag} is given twice (${values[flag]} and ${value})`);
      values[flag] = value;
      if (inline === undefined) i++;
    } else if (arg.startsWith("-")) {
      const suggestion = closestMatch(flag.replace(/^-+/, ""), [...VALUE_FLAGS, ...SWITCHES].map((f) => f.slice(2)));
      throw new UsageError(`unknown option ${flag}${suggestion ? ` (did you mean --${suggestion}?)` : ""}`);
    } else {
      throw new UsageError(`unexpected argument ${arg}${values["--env"] === undefined ? ` (did you mean --env ${arg}?)` : ""}`);
    }
  }
  if (values["--env"] === undefined) throw new UsageError("--env is required: which environment to plan");
  return { environment: values["--env"], outDir: values["--out"] ?? "out", policy };
}
