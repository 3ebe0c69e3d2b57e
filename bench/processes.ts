/**
 * Child processes of a bench run: every one is registered and killed when the run ends,
 * fails or is interrupted, so no server is left listening after a bench.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import { rmSync } from "fs";
import { freePort, stopChild } from "../tests/support/local-process";

export { freePort };

const running = new Set<ChildProcess>();
const scratchDirs = new Set<string>();

/** Registers a child started elsewhere so the cleanup also kills it. */
export function track<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.on("exit", () => running.delete(child));
  return child;
}

/** A temporary directory removed by the cleanup if the run stops before removing it itself. */
export function trackScratchDir(dir: string): string {
  scratchDirs.add(dir);
  return dir;
}

export function removeScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  scratchDirs.delete(dir);
}

/** Fails loudly, naming the Debian package, when a binary the bench needs is missing. */
export function requireBinary(binary: string, debianPackage: string): void {
  if (spawnSync("sh", ["-c", `command -v ${binary}`]).status !== 0) {
    throw new Error(`${binary} not found: the bench needs it (install with 'apt-get install -y ${debianPackage}')`);
  }
}

export interface Started {
  name: string;
  child: ChildProcess;
  /** Last lines of stderr, for error messages. */
  tail(): string;
}

export function startProcess(name: string, binary: string, args: string[]): Started {
  const child = track(spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] }));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  return { name, child, tail: () => stderr.split("\n").slice(-8).join("\n") };
}

/** Polls an HTTP URL until it answers 200, or throws with the process's last log lines. */
export async function waitUntilReady(started: Started, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`${started.name} exited with ${started.child.exitCode}:\n${started.tail()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${started.name} not ready at ${url} after ${timeoutMs} ms:\n${started.tail()}`);
}

export function stopProcess(started: Started): Promise<void> {
  return stopChild(started.child);
}

/** Last resort on exit (children and scratch directories): synchronous, so it also runs from `process.on("exit")`. */
export function killAllNow(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  running.clear();
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  scratchDirs.clear();
}

let installed = false;

/** Kills every registered child on normal exit, on an uncaught error and on SIGINT/SIGTERM. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAllNow);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the bench and its processes`);
      killAllNow();
      process.exit(130);
    });
  }
}
