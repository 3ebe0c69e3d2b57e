/**
 * Notifier: the Lambda bundle's size, how long a cold Node process takes to load it, and
 * how fast one invocation delivers a batch of alerts to local Slack, PagerDuty and webhook
 * sinks (tests/support/sinks.ts, which validate payloads as the services do).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { AmpAlert, AmpAlertMessage } from "../components/alert-pipeline/notifier/amp-message";
import { bundleNotifier } from "../components/alert-pipeline/notifier/bundle";
import { NotifierConfig } from "../components/alert-pipeline/notifier/config";
import { silentLogger } from "../components/alert-pipeline/notifier/logger";
import { createNotifier } from "../components/alert-pipeline/notifier/notifier";
import { dynamoDbLedger } from "../components/alert-pipeline/notifier/ledger";
import { startSinks } from "../tests/support/sinks";
import { createLedgerTable, startLocalDynamo } from "../tests/support/local-dynamo";
import { removeScratchDir, trackScratchDir } from "./processes";

export interface NotifierBenchResult {
  bundleBytes: number;
  externalImports: string[];
  coldImportMs: { median: number; runs: number[] };
  batch: { alerts: number; destinations: number; requests: Record<string, number>; delivered: number; wallMs: number; alertsPerSecond: number };
  /**
   * The same batch with the delivery ledger (dynalite on 127.0.0.1, real SDK client): the
   * first delivery (claim + acknowledge per alert and destination), then the same event
   * again as a retry (every destination already acknowledged: no request at all).
   */
  ledger: { wallMs: number; alertsPerSecond: number; retryWallMs: number; retryRequests: number; retryAlreadyDelivered: number };
}

/** The middle value (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Alertmanager-shaped alerts, split into SNS records of at most 50 alerts (SNS caps messages at 256 KB). */
function snsBatch(alerts: number): unknown {
  const all: AmpAlert[] = Array.from({ length: alerts }, (_, i) => ({
    status: "firing",
    labels: { alertname: "KubePodCrashLooping", severity: i % 3 === 0 ? "critical" : "warning", team: "payments", account: "310987654321", cluster: "payments-dev", pod: `api-${i}` },
    annotations: { summary: `Pod api-${i} is crash looping`, description: `Pod payments/api-${i} restarted 5 times in 10 minutes.`, runbook_url: "https://runbooks.example.com/KubePodCrashLooping" },
    startsAt: "2024-05-01T10:00:00Z",
    endsAt: "0001-01-01T00:00:00Z",
    generatorURL: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/graph?g0.expr=up",
    fingerprint: i.toString(16).padStart(16, "0"),
  }));
  const records = [];
  for (let start = 0; start < all.length; start += 50) {
    const message: AmpAlertMessage = {
      version: "1", status: "firing", receiver: "sns-payments", groupKey: `{}:{batch="${start}"}`,
      groupLabels: { alertname: "KubePodCrashLooping" }, commonLabels: {}, commonAnnotations: {},
      externalURL: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/alertmanager",
      alerts: all.slice(start, start + 50),
    };
    records.push({
      EventSource: "aws:sns",
      EventVersion: "1.0",
      Sns: { Type: "Notification", MessageId: `m-${start}`, TopicArn: "arn:aws:sns:eu-west-1:210987654321:amp-alerts", Subject: "[FIRING] KubePodCrashLooping", Message: JSON.stringify(message), Timestamp: "2024-05-01T10:00:01.000Z" },
    });
  }
  return { Records: records };
}

export async function runNotifierBench(options: { alerts: number; coldRuns: number; log: (line: string) => void }): Promise<NotifierBenchResult> {
  options.log("notifier: bundling");
  const bundle = await bundleNotifier();
  const dir = trackScratchDir(mkdtempSync(join(tmpdir(), "bench-notifier-")));
  const runs: number[] = [];
  try {
    const file = join(dir, "index.js");
    writeFileSync(file, bundle.code);
    const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
    for (let i = 0; i < options.coldRuns; i++) {
      // The Lambda runtime provides @aws-sdk/*: the project's node_modules stands in for it.
      const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000, env: { ...process.env, NODE_PATH: join(__dirname, "..", "node_modules") } });
      if (child.status !== 0) throw new Error(`requiring the notifier bundle failed: ${child.stderr}`);
      runs.push(Number(child.stdout));
    }
  } finally {
    removeScratchDir(dir);
  }

  options.log(`notifier: ${options.alerts} alerts to local sinks`);
  const sinks = await startSinks();
  try {
    const secrets: Record<string, string> = {
      "bench/slack": JSON.stringify({ webhookUrl: sinks.urls.slack }),
      "bench/pagerduty": JSON.stringify({ routingKey: "R0UTINGKEYBENCH000000000000000000", eventsUrl: sinks.urls.pagerduty }),
      "bench/webhook": JSON.stringify({ url: sinks.urls.webhook }),
    };
    const config: NotifierConfig = {
      destinations: [
        { name: "slack", type: "slack", secretArn: "bench/slack" },
        { name: "pagerduty", type: "pagerduty", secretArn: "bench/pagerduty", match: { severities: ["critical"] } },
        { name: "webhook", type: "webhook", secretArn: "bench/webhook" },
      ],
    };
    const notifier = createNotifier({
      config,
      secrets: { getSecretString: async (id) => { const value = secrets[id]; if (value === undefined) throw new Error(`no secret ${id}`); return value; } },
      logger: silentLogger,
    });
    const event = snsBatch(options.alerts);
    const started = process.hrtime.bigint();
    const result = await notifier.handle(event, { budgetMs: 120_000 });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (!result.ok || result.delivered !== options.alerts) {
      throw new Error(`notifier delivered ${result.delivered}/${options.alerts} alerts (failed ${result.failed}, malformed ${result.malformed.length})`);
    }
    const requests = { slack: sinks.accepted("slack").length, pagerduty: sinks.accepted("pagerduty").length, webhook: sinks.accepted("webhook").length };

    options.log(`notifier: ${options.alerts} alerts with the delivery ledger (dynalite)`);
    const dynamo = await startLocalDynamo();
    let ledger: NotifierBenchResult["ledger"];
    try {
      await createLedgerTable(dynamo.client, "bench-ledger");
      const withLedger = createNotifier({
        config,
        secrets: { getSecretString: async (id) => secrets[id] },
        logger: silentLogger,
        ledger: dynamoDbLedger({ client: dynamo.client, tableName: "bench-ledger" }),
      });
      const ledgerEvent = JSON.parse(JSON.stringify(event));
      ledgerEvent.Records.forEach((record: { Sns: { MessageId: string } }, i: number) => (record.Sns.MessageId = `bench-ledger-${i}`));
      const first = process.hrtime.bigint();
      const firstResult = await withLedger.handle(ledgerEvent, { budgetMs: 120_000 });
      const ledgerWallMs = Number(process.hrtime.bigint() - first) / 1e6;
      if (!firstResult.ok) throw new Error(`notifier with ledger delivered ${firstResult.delivered}/${options.alerts}`);
      const before = Object.values(sinks.received).flat().length;
      const retry = process.hrtime.bigint();
      const retryResult = await withLedger.handle(ledgerEvent, { budgetMs: 120_000 });
      const retryWallMs = Number(process.hrtime.bigint() - retry) / 1e6;
      ledger = {
        wallMs: ledgerWallMs,
        alertsPerSecond: options.alerts / (ledgerWallMs / 1000),
        retryWallMs,
        retryRequests: Object.values(sinks.received).flat().length - before,
        retryAlreadyDelivered: retryResult.alerts.flatMap((a) => a.destinations).filter((d) => d.action === "already-delivered").length,
      };
    } finally {
      await dynamo.close();
    }
    return {
      bundleBytes: bundle.bytes,
      externalImports: bundle.externalImports,
      coldImportMs: { median: median(runs), runs },
      batch: {
        alerts: options.alerts,
        destinations: config.destinations.length,
        requests,
        delivered: result.delivered,
        wallMs,
        alertsPerSecond: options.alerts / (wallMs / 1000),
      },
      ledger,
    };
  } finally {
    await sinks.close();
  }
}
