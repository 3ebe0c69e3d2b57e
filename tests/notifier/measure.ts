/**
 * Figures for the notifier: bundle size, cold import time of the bundle in a fresh node
 * process, and time to process 1000 alerts against the loopback sinks.
 * Run: npx ts-node --transpile-only tests/notifier/measure.ts
 */
import { execFileSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { bundleNotifier } from "../../components/alert-pipeline/notifier/bundle";
import { createNotifier } from "../../components/alert-pipeline/notifier/notifier";
import { silentLogger } from "../../components/alert-pipeline/notifier/logger";
import { FaultOptions, Sinks, startSinks } from "../support/sinks";
import { BatchEvent, mixedAlertBatch } from "./alert-batch";
import { ampAlert, ampMessage, snsEvent } from "./fixtures";
import { allDestinationsConfig, memorySecretSource, sinkSecrets } from "./harness";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function coldImport(): Promise<void> {
  const bundle = await bundleNotifier();
  console.log(`bundle: ${(bundle.bytes / 1024).toFixed(1)} KB minified; external: ${bundle.externalImports.join(", ")}`);
  const dir = mkdtempSync(path.join(tmpdir(), "notifier-measure-"));
  const file = path.join(dir, "index.js");
  writeFileSync(file, bundle.code);
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const samples = Array.from({ length: 7 }, () =>
    Number(execFileSync(process.execPath, ["-e", script], { env: { ...process.env, NODE_PATH: path.resolve(__dirname, "../../node_modules") } }).toString()),
  );
  console.log(`cold import (require of index.js incl. @aws-sdk/client-secrets-manager, fresh process, median of 7): ${median(samples).toFixed(1)} ms`);
  rmSync(dir, { recursive: true, force: true });
}

async function batch(label: string, events: BatchEvent[], faults?: FaultOptions, concurrency = 8): Promise<void> {
  const sinks = await startSinks({ faults });
  const notifier = createNotifier({
    config: allDestinationsConfig(),
    secrets: memorySecretSource(sinkSecrets(sinks)),
    logger: silentLogger,
    retry: faults ? { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 8, requestTimeoutMs: 80 } : undefined,
    sleep: faults ? (ms) => new Promise((resolve) => setTimeout(resolve, ms / 1000)) : undefined,
  });
  const queue = [...events];
  let delivered = 0;
  let failed = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        const result = await notifier.handle(entry.event);
        delivered += result.delivered;
        failed += result.failed;
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const calls = Object.values(sinks.received).flat().length;
  console.log(`${label}: ${ms.toFixed(0)} ms, ${delivered} delivered, ${failed} failed, ${calls} HTTP calls`);
  await sinks.close();
}

/** The notifier's own cost (parse, route, render, bookkeeping), with a fetch that answers at once; second of two rounds. */
async function processingOnly(events: BatchEvent[]): Promise<void> {
  const instantFetch: typeof fetch = async (url) => new Response(String(url).includes("/search/jql") ? '{"issues":[]}' : "ok", { status: 202 });
  const urls = { slack: "https://hooks.example/s", pagerduty: "https://pd.example/v2/enqueue", jira: "https://jira.example", webhook: "https://hook.example/a" };
  const secrets = memorySecretSource(sinkSecrets({ urls } as Sinks));
  const notifier = createNotifier({ config: allDestinationsConfig(), secrets, logger: silentLogger, fetchImpl: instantFetch });
  for (const round of ["warm-up", "measured"]) {
    const started = process.hrtime.bigint();
    let delivered = 0;
    for (const entry of events) delivered += (await notifier.handle(entry.event)).delivered;
    if (round === "measured") console.log(`processing only (instant fetch), ${delivered} alerts: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
  }
}

async function main(): Promise<void> {
  await coldImport();
  await processingOnly(mixedAlertBatch(1000));
  const mixed = mixedAlertBatch(1000);
  await batch(`1000 alerts in ${mixed.length} events (AMP groups of 5, CloudWatch SNS, EventBridge), 8 concurrent invocations`, mixed);
  const alerts = Array.from({ length: 1000 }, (_, i) => ampAlert({ fingerprint: i.toString(16).padStart(16, "0"), labels: { ...ampAlert().labels, pod: `p-${i}` } }));
  await batch("1000 alerts in one AMP message (one invocation)", [{ event: snsEvent(JSON.stringify(ampMessage(alerts))), fingerprints: [] }], undefined, 1);
  await batch("1000 alerts, 30% of calls failing, first invocation only (waits scaled 1/1000)", mixedAlertBatch(1000), { rate: 0.3, seed: 3, retryAfterSeconds: 1 });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
