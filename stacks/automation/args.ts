/** Arguments of `npm run deploy`. */
export const USAGE = "usage: npm run deploy -- --env <env> [--preview] [--only <account>] [--parallel <n>] [--org <org>] [--force] | --env <env> --remove <account> [--org <org>]";
export const DEFAULT_PARALLEL = 4;

export interface DeployArgs {
  environment: string;
  preview: boolean;
  only?: string;
  parallel: number;
  org?: string;
  /** Update every stack, also those whose recorded fingerprint says they are up to date. */
  force?: boolean;
  /** An account taken out of the model: update the shared stacks, then destroy and remove its two stacks. */
  remove?: string;
}

export function parseDeployArgs(argv: string[]): DeployArgs {
  const valued = new Map<string, string>();
  let preview = false;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--preview") {
      preview = true;
    } else if (arg === "--force") {
      force = true;
    } else if (["--env", "--only", "--parallel", "--org", "--remove"].includes(arg)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new Error(`${arg} needs a value\n${USAGE}`);
      valued.set(arg, value);
      i++;
    } else {
      throw new Error(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  const environment = valued.get("--env");
  if (environment === undefined) throw new Error(`--env is required\n${USAGE}`);
  const parallelText = valued.get("--parallel");
  const parallel = parallelText === undefined ? DEFAULT_PARALLEL : Number(parallelText);
  if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`--parallel must be a positive integer, got ${parallelText}`);
  const remove = valued.get("--remove");
  if (remove !== undefined && (preview || valued.has("--only"))) throw new Error(`--remove runs on its own: it cannot be combined with --preview or --only\n${USAGE}`);
  return { environment, preview, parallel, only: valued.get("--only"), org: valued.get("--org"), force, ...(remove === undefined ? {} : { remove }) };
}
