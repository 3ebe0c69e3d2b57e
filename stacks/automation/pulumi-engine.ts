/**
 * The StackEngine over Pulumi's Automation API: a LocalWorkspace on this project (the
 * program in package.json "main", stack files next to Pulumi.yaml). Every call shells out
 * to the `pulumi` CLI, which must be installed.
 */
import {
  ConfigMap,
  EngineEvent,
  LocalWorkspace,
  OpMap,
  PulumiCommand,
  Stack,
} from "@pulumi/pulumi/automation";
import { configEntries } from "./config-entries";
import {
  OperationOptions,
  OperationResult,
  StackEngine,
  StackHandle,
  noChanges,
  noViolations,
  ChangeCounts,
} from "./engine";

export interface PulumiEngineOptions {
  /** The project directory (holds Pulumi.yaml). */
  workDir: string;
  /** Directory of a Pulumi CLI installation (`<root>/bin/pulumi`); default: `pulumi` on PATH. */
  pulumiRoot?: string;
}

export const INSTALL_HINT =
  "install the Pulumi CLI (https://www.pulumi.com/docs/install/; in GitHub Actions, pulumi/actions) and make sure `pulumi` is on PATH";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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

function stackHandle(stack: Stack): StackHandle {
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
      const changes = kind === "preview"
        ? (await stack.preview(common)).changeSummary
        : (await stack.up(common)).summary.resourceChanges;
      return { ok: true, changes: countChanges(changes), policyViolations };
    } catch (error) {
      return { ok: false, changes: noChanges(), policyViolations, error: summariseEngineError(messageOf(error)) };
    }
  }
  return {
    name: stack.name,
    preview: (options) => run("preview", options),
    up: (options) => run("up", options),
  };
}

async function applyConfig(stack: Stack, config: Record<string, unknown>): Promise<void> {
  const entries = configEntries(config);
  const asConfigMap = (values: Record<string, string>): ConfigMap =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }]));
  if (entries.structuredKeys.length > 0) await stack.removeAllConfig(entries.structuredKeys);
  if (Object.keys(entries.plain).length > 0) await stack.setAllConfig(asConfigMap(entries.plain));
  if (Object.keys(entries.paths).length > 0) await stack.setAllConfig(asConfigMap(entries.paths), true);
}

export function createPulumiEngine(options: PulumiEngineOptions): StackEngine {
  let workspace: Promise<LocalWorkspace> | undefined;
  const openWorkspace = (): Promise<LocalWorkspace> =>
    (workspace ??= findPulumiCli(options).then((pulumiCommand) => LocalWorkspace.create({ workDir: options.workDir, pulumiCommand })));
  // Selecting a stack rewrites the workspace's current-stack file: one at a time.
  let selecting: Promise<unknown> = Promise.resolve();
  return {
    selectOrCreate(stackName, config) {
      const selected = selecting.then(async () => {
        const stack = await Stack.createOrSelect(stackName, await openWorkspace());
        if (config !== undefined) await applyConfig(stack, config);
        return stackHandle(stack);
      });
      selecting = selected.catch(() => undefined);
      return selected;
    },
  };
}
