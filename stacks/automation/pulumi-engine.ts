/**
 * The StackEngine over Pulumi's Automation API: LocalWorkspaces on this project (the
 * program in package.json "main", stack files next to Pulumi.yaml), one per concurrency
 * lane, each with its own PULUMI_HOME (see lane-homes.ts for why: pulumi/pulumi#8186 and
 * #4031). Every call shells out to the `pulumi` CLI, which must be installed.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import {
  ConfigMap,
  EngineEvent,
  LocalWorkspace,
  OpMap,
  PulumiCommand,
  Stack,
  StackNotFoundError,
  UpdateSummary,
} from "@pulumi/pulumi/automation";
import { configEntries } from "./config-entries";
import {
  OperationOptions,
  OperationResult,
  PolicyPackRun,
  PrepareOptions,
  StackEngine,
  StackHandle,
  noChanges,
  noViolations,
  ChangeCounts,
  messageOf,
} from "./engine";
import { canonicalJson } from "./fingerprint";
import { LaneHomes, createLaneHomes, defaultPulumiHome } from "./lane-homes";

export interface PulumiEngineOptions {
  /** The project directory (holds Pulumi.yaml). */
  workDir: string;
  /** Directory of a Pulumi CLI installation (`<root>/bin/pulumi`); default: `pulumi` on PATH. */
  pulumiRoot?: string;
  /** The home whose plugin cache and backend login the lanes share; default PULUMI_HOME, else ~/.pulumi. */
  pulumiHome?: string;
  /** Where the run's per-lane homes are made; default the OS temp directory. */
  laneParent?: string;
}

/** Every CLI call: no version check against pulumi.com (thousands of calls per run at scale). */
const CLI_ENV = { PULUMI_SKIP_UPDATE_CHECK: "true" };

export const INSTALL_HINT =
  "install the Pulumi CLI (https://www.pulumi.com/docs/install/; in GitHub Actions, pulumi/actions) and make sure `pulumi` is on PATH";

async function findPulumiCli(options: PulumiEngineOptions): Promise<PulumiCommand> {
  const where = options.pulumiRoot ? `${options.pulumiRoot}/bin/pulumi` : "pulumi on PATH";
  try {
    return await PulumiCommand.get(options.pulumiRoot ? { root: options.pulumiRoot } : undefined);
  } catch (error) {
    const message = messageOf(error);
    if (/ENOENT|not found/i.test(message)) {
      throw new Error(`the Pulumi CLI was not found (looked for ${where}): ${INSTALL_HINT}`);
    }
    throw new Error(`the Pulumi CLI (${where}) could not be used: ${summariseEngineError(message)}`);
  }
}

/**
 * Automation API errors carry the CLI's whole stdout and stderr; the summary needs the
 * line that says what went wrong, which the CLI prints as `error: ...`.
 */
export function summariseEngineError(message: string): string {
  const lines = message.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  const errors = lines.filter((line) => /^error:/i.test(line));
  return errors.length > 0 ? errors[errors.length - 1] : lines[0] ?? "unknown error";
}

export function countChanges(summary: OpMap | undefined): ChangeCounts {
  const counts = noChanges();
  for (const kind of Object.keys(counts) as (keyof ChangeCounts)[]) counts[kind] = summary?.[kind] ?? 0;
  return counts;
}

/** `pulumi config --json` values: structured ones carry `objectValue`, the rest their text. */
export function configValues(config: ConfigMap): Record<string, { value: unknown; secret: boolean }> {
  return Object.fromEntries(Object.entries(config).map(([key, entry]) => {
    const structured = (entry as { objectValue?: unknown }).objectValue;
    return [key, { value: structured !== undefined ? structured : entry.value, secret: entry.secret === true }];
  }));
}

/** An update's identity in the stack's history: its version and start time (seconds). */
export function updateId(summary: Pick<UpdateSummary, "version" | "startTime"> | undefined): string | undefined {
  if (summary === undefined) return undefined;
  const started = summary.startTime instanceof Date ? summary.startTime.getTime() : Date.parse(String(summary.startTime));
  return Number.isFinite(started) ? `${summary.version}@${Math.floor(started / 1000)}` : String(summary.version);
}

function plainOutputs(outputs: Record<string, { value: unknown }>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value]));
}

/** `Stack.createOrSelect`, also telling whether the stack was created (then it has no history and no tags). */
async function selectOrCreateStack(name: string, workspace: LocalWorkspace): Promise<{ stack: Stack; created: boolean }> {
  try {
    return { stack: await Stack.select(name, workspace), created: false };
  } catch (error) {
    if (!(error instanceof StackNotFoundError)) throw error;
    return { stack: await Stack.create(name, workspace), created: true };
  }
}

function stackHandle(stack: Stack, knownConfig: ConfigMap | undefined, created: boolean): StackHandle {
  let fresh = created;
  async function run(kind: "preview" | "up", options: OperationOptions): Promise<OperationResult> {
    const policyViolations = noViolations();
    const onEvent = (event: EngineEvent): void => {
      const policy = event.policyEvent;
      if (policy === undefined) return;
      if (policy.enforcementLevel === "mandatory") policyViolations.mandatory++;
      else policyViolations.advisory++;
    };
    const common = {
      // Two parallel lists: the CLI pairs the n-th --policy-pack-config with the n-th --policy-pack.
      policyPacks: options.policyPacks.map((pack) => pack.dir),
      policyPackConfigs: options.policyPacks.map((pack) => pack.configFile),
      onOutput: options.onOutput,
      onEvent,
      color: "never" as const,
    };
    try {
      if (kind === "preview") {
        const result = await stack.preview(common);
        return { ok: true, changes: countChanges(result.changeSummary), policyViolations };
      }
      fresh = false;
      const result = await stack.up(common);
      return {
        ok: true,
        changes: countChanges(result.summary.resourceChanges),
        policyViolations,
        update: updateId(result.summary),
        outputs: plainOutputs(result.outputs),
      };
    } catch (error) {
      return { ok: false, changes: noChanges(), policyViolations, error: summariseEngineError(messageOf(error)) };
    }
  }
  let config = knownConfig;
  return {
    name: stack.name,
    preview: (options) => run("preview", options),
    up: (options) => run("up", options),
    async config() {
      config ??= await stack.getAllConfig();
      return configValues(config);
    },
    outputs: async () => plainOutputs(await stack.outputs()),
    // A stack created by this run has neither history nor tags: nothing to ask the backend.
    // Newest first; without secrets: only the version and start time are read.
    lastUpdate: async () => (fresh ? undefined : updateId((await stack.history(1, 1, false))[0])),
    getTag: async (key) => (fresh ? undefined : (await stack.listTags())[key]),
    setTag: (key, value) => stack.setTag(key, value),
    async destroy(options) {
      try {
        const result = await stack.destroy({ onOutput: options.onOutput, color: "never" });
        return { ok: true, changes: countChanges(result.summary.resourceChanges), policyViolations: noViolations(), update: updateId(result.summary) };
      } catch (error) {
        return { ok: false, changes: noChanges(), policyViolations: noViolations(), error: summariseEngineError(messageOf(error)) };
      }
    },
  };
}

function sameValue(current: ConfigMap[string] | undefined, wanted: unknown): boolean {
  if (current === undefined || current.secret === true) return false;
  if (wanted !== null && typeof wanted === "object") {
    const structured = (current as { objectValue?: unknown }).objectValue;
    return structured !== undefined && canonicalJson(structured) === canonicalJson(wanted);
  }
  return current.value === String(wanted);
}

/**
 * Sets `config` on the stack unless it already holds exactly these values: an unchanged
 * stack costs one read, not three writes (a stack just created is written without reading).
 * Returns the stack's config when nothing was written (it is then known), undefined otherwise.
 */
async function applyConfig(stack: Stack, config: Record<string, unknown>, created: boolean): Promise<ConfigMap | undefined> {
  if (!created) {
    const current = await stack.getAllConfig();
    if (Object.entries(config).every(([key, value]) => sameValue(current[key], value))) return current;
  }
  const entries = configEntries(config);
  const asConfigMap = (values: Record<string, string>): ConfigMap =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }]));
  if (entries.structuredKeys.length > 0) await stack.removeAllConfig(entries.structuredKeys);
  if (Object.keys(entries.plain).length > 0) await stack.setAllConfig(asConfigMap(entries.plain));
  if (Object.keys(entries.paths).length > 0) await stack.setAllConfig(asConfigMap(entries.paths), true);
  return undefined;
}

/**
 * A nodejs policy pack runs with its folder as working directory: the language host
 * resolves `@pulumi/pulumi/cmd/run-policy-pack` (and the pack `@pulumi/policy`) from there
 * with node's resolution, so the project's node_modules serve a pack inside the project.
 * Nothing is installed per stack; this checks once, before any stack, that it will load.
 */
export function checkPolicyPackRuntime(pack: PolicyPackRun): void {
  let runtime: unknown;
  try {
    runtime = (parse(readFileSync(join(pack.dir, "PulumiPolicy.yaml"), "utf8")) as { runtime?: unknown } | null)?.runtime;
  } catch (error) {
    throw new Error(`policy pack ${pack.dir}: cannot read PulumiPolicy.yaml: ${messageOf(error)}`);
  }
  const name = typeof runtime === "object" && runtime !== null ? (runtime as { name?: unknown }).name : runtime;
  if (name !== "nodejs") return;
  for (const module of ["@pulumi/pulumi/cmd/run-policy-pack", "@pulumi/policy"]) {
    try {
      require.resolve(module, { paths: [pack.dir] });
    } catch {
      throw new Error(`policy pack ${pack.dir}: ${module} cannot be resolved from the pack's folder, so no preview or update could load the pack: install the project's dependencies first (npm ci)`);
    }
  }
}

export function createPulumiEngine(options: PulumiEngineOptions): StackEngine {
  let cli: Promise<PulumiCommand> | undefined;
  const pulumiCommand = (): Promise<PulumiCommand> => (cli ??= findPulumiCli(options));
  let homes: LaneHomes | undefined;
  const workspaces = new Map<number, Promise<LocalWorkspace>>();
  const baseHome = (): string => options.pulumiHome ?? defaultPulumiHome();

  function workspaceFor(lane: number): Promise<LocalWorkspace> {
    let workspace = workspaces.get(lane);
    if (workspace === undefined) {
      workspace = pulumiCommand().then((command) => {
        homes ??= createLaneHomes(baseHome(), options.laneParent);
        return LocalWorkspace.create({ workDir: options.workDir, pulumiCommand: command, pulumiHome: homes.home(lane), envVars: CLI_ENV });
      });
      workspaces.set(lane, workspace);
    }
    return workspace;
  }

  return {
    async prepare({ policyPacks }: PrepareOptions) {
      const command = await pulumiCommand();
      for (const pack of policyPacks) checkPolicyPackRuntime(pack);
      // The program's plugins, once, into the shared plugin cache, before stacks run side by side.
      const workspace = await LocalWorkspace.create({
        workDir: options.workDir,
        pulumiCommand: command,
        envVars: CLI_ENV,
        ...(options.pulumiHome === undefined ? {} : { pulumiHome: options.pulumiHome }),
      });
      try {
        await workspace.install({ noDependencies: true });
      } catch (error) {
        throw new Error(`installing the program's plugins (pulumi install --no-dependencies) failed: ${summariseEngineError(messageOf(error))}`);
      }
    },
    // No lock: stacks in different lanes have different homes, and a lane runs one stack at a time.
    async selectOrCreate(stackName, config, lane = 0) {
      const { stack, created } = await selectOrCreateStack(stackName, await workspaceFor(lane));
      const known = config === undefined ? undefined : await applyConfig(stack, config, created);
      return stackHandle(stack, known, created);
    },
    async selectExisting(stackName, lane = 0) {
      try {
        return stackHandle(await Stack.select(stackName, await workspaceFor(lane)), undefined, false);
      } catch (error) {
        if (error instanceof StackNotFoundError) return undefined;
        throw error;
      }
    },
    async removeStack(stackName, lane = 0) {
      await (await workspaceFor(lane)).removeStack(stackName);
    },
    async dispose() {
      homes?.remove();
      homes = undefined;
      workspaces.clear();
    },
  };
}
