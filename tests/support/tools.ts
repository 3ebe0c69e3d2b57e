import { spawnSync } from "child_process";

/**
 * Tests that need a real tool (promtool, amtool, prometheus...) call this in `before()`.
 * On a developer machine a missing tool skips the suite with the install hint; under CI
 * (`CI=true`) it fails, so a green CI run always means the tool really ran.
 */
/** Suites skipped on this run for a missing tool: title -> install command, listed at the end. */
export const skippedForMissingTools = new Map<string, string>();

export function requireTool(ctx: Mocha.Context, binary: string, debianPackage: string): void {
  const found = spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" }).status === 0;
  if (found) return;
  const hint = `${binary} not found: install it with 'apt-get install -y ${debianPackage}'`;
  if (process.env.CI === "true") {
    throw new Error(`${hint} (CI=true: tool-backed tests must run)`);
  }
  console.warn(`skipping: ${hint}`);
  skippedForMissingTools.set(ctx.test?.parent?.fullTitle() || binary, `sudo apt-get install -y ${debianPackage}  (${binary})`);
  ctx.skip();
}
