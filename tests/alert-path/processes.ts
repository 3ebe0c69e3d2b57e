/**
 * Starting the real Prometheus / Alertmanager / node-exporter binaries on loopback for a
 * test: free ports, captured logs for failure messages, readiness polling, and a kill
 * that waits for the process to exit.
 */
import { ChildProcess, spawn } from "child_process";
import { freePort, stopChild } from "../support/local-process";

export { freePort };

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr), for assertion messages. */
  log(): string;
  stop(): Promise<void>;
}

export function startProcess(name: string, binary: string, args: string[], env: NodeJS.ProcessEnv = process.env): RunningProcess {
  const child = spawn(binary, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter((line) => line !== ""));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    name,
    child,
    log: () => `--- ${name} ---\n${lines.slice(-40).join("\n")}`,
    stop: () => stopChild(child),
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
}

/** GET a URL and return its body when the status is 2xx. */
export async function httpOk(url: string): Promise<string | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return response.ok ? response.text() : undefined;
}
