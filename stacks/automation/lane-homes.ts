/**
 * One PULUMI_HOME per concurrency lane, so that stacks running at the same time share no
 * Pulumi workspace state.
 *
 * Why: the Automation API's `createOrSelectStack` runs `pulumi stack select`/`stack init`,
 * which rewrite the current-stack file `$PULUMI_HOME/workspaces/<project>-<hash>-workspace.json`;
 * two of them at once in one home race and can leave that file corrupt
 * (pulumi/pulumi#8186: "cannot be run in parallel"). And when policy packs enforced from
 * Pulumi Cloud are installed by the CLI (`npm install` under `$PULUMI_HOME/policies`),
 * concurrent previews on one machine race on that install and fail with "Cannot find
 * module '@pulumi/pulumi/cmd/run-policy-pack'" (pulumi/pulumi#4031, open).
 *
 * So each lane (a worker of the bounded pool: it runs one stack at a time) gets its own
 * home under a temporary directory made for this run, holding:
 * - `workspaces/` and `policies/`: its own, never shared. A cloud-enforced pack is then
 *   installed at most once per lane, never twice at the same time in one place;
 * - `plugins` -> the shared plugin cache of the base home (PULUMI_HOME or ~/.pulumi):
 *   provider plugins are hundreds of MB, the CLI locks each plugin install
 *   (`<plugin>.lock`), and the driver installs them once before any stack runs;
 * - `credentials.json`: a copy of the base home's backend login (`pulumi login`), so every
 *   lane talks to the same backend. PULUMI_ACCESS_TOKEN / PULUMI_BACKEND_URL, when set,
 *   reach the CLI through the environment as usual.
 * The run's directory is removed when the run ends (or the process exits). Lanes are made
 * on first use: a run never has more than `--parallel` of them.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "fs";
import { homedir, tmpdir } from "os";
import { join } from "path";

/** The home the CLI uses when none is given: PULUMI_HOME, else ~/.pulumi. */
export function defaultPulumiHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.PULUMI_HOME && env.PULUMI_HOME !== "" ? env.PULUMI_HOME : join(homedir(), ".pulumi");
}

export interface LaneHomes {
  /** The directory holding every lane's home for this run. */
  readonly root: string;
  /** Lane `lane`'s PULUMI_HOME (0-based), made on first use. */
  home(lane: number): string;
  /** Removes every lane home. */
  remove(): void;
}

export function createLaneHomes(baseHome: string, parent: string = tmpdir()): LaneHomes {
  const root = mkdtempSync(join(parent, "pulumi-deploy-lanes-"));
  const made = new Map<number, string>();
  // Also when the process exits without the run's end being reached (the homes hold a copy of the login).
  const removeNow = (): void => rmSync(root, { recursive: true, force: true });
  process.on("exit", removeNow);
  return {
    root,
    home(lane: number): string {
      if (!Number.isInteger(lane) || lane < 0) throw new Error(`lane must be a non-negative integer, got ${lane}`);
      const existing = made.get(lane);
      if (existing !== undefined) return existing;
      const home = join(root, `lane-${lane + 1}`);
      mkdirSync(home);
      const sharedPlugins = join(baseHome, "plugins");
      mkdirSync(sharedPlugins, { recursive: true });
      symlinkSync(sharedPlugins, join(home, "plugins"), "dir");
      const credentials = join(baseHome, "credentials.json");
      if (existsSync(credentials)) {
        copyFileSync(credentials, join(home, "credentials.json"));
        chmodSync(join(home, "credentials.json"), 0o600);
      }
      made.set(lane, home);
      return home;
    },
    remove(): void {
      process.off("exit", removeNow);
      removeNow();
    },
  };
}
