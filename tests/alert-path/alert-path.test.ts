/**
 * The whole alert path on loopback, with the real software:
 *
 *   node-exporter <-scrape- Prometheus (collector, agent mode, external labels, allow-list)
 *     -remote write-> Prometheus (workspace stand-in, the rendered rule namespaces)
 *     -> Alertmanager (the rendered AMP config + templates, api_url -> SNS stub)
 *     -> SNS stub (SigV4 checked, Lambda SNS event) -> notifier.handle -> Slack/PagerDuty/webhook sinks
 *
 * Stopping node-exporter makes CollectorTargetDown fire; starting it again resolves it.
 * Only the rule settings' evaluation interval and that alert's pending time, and the
 * alertmanager's notification timing, are shortened (through the same settings objects).
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { resolveAlertmanagerSettings } from "../../components/alert-pipeline/alertmanager";
import { createNotifier, HandleResult } from "../../components/alert-pipeline/notifier/notifier";
import { renderRuleNamespaces, resolveRuleSettings } from "../../components/alert-pipeline/rules";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { allowlistRegex } from "../../components/workload-collector/prometheus-config";
import { RecordedRequest, Sinks, startSinks } from "../support/sinks";
import { requireTool } from "../support/tools";
import { LocalAlertmanager, startLocalAlertmanager } from "./local-alertmanager";
import { freePort, httpOk, RunningProcess, startProcess, waitFor } from "./processes";
import { SnsPublish, snsLambdaEvent, SnsStub, startSnsStub } from "./sns-stub";

const CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:amp-alerts";
const EXTERNAL_LABELS = { account: "acme-payments", cluster: "blue", environment: "dev" };
const SECRETS: Record<string, (sinks: Sinks) => object> = {
  "arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack": (sinks) => ({ webhookUrl: sinks.urls.slack }),
  "arn:aws:secretsmanager:eu-west-1:111122223333:secret:pagerduty": (sinks) => ({ routingKey: "R0UT1NGKEY0123456789ABCDEFGHIJKL", eventsUrl: sinks.urls.pagerduty }),
  "arn:aws:secretsmanager:eu-west-1:111122223333:secret:webhook": (sinks) => ({ url: sinks.urls.webhook }),
};

interface WorkspaceAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing";
  activeAt: string;
}

async function workspaceAlerts(workspaceUrl: string): Promise<WorkspaceAlert[]> {
  const body = await httpOk(`${workspaceUrl}/api/v1/alerts`);
  return body ? (JSON.parse(body) as { data: { alerts: WorkspaceAlert[] } }).data.alerts : [];
}

async function instantQuery(workspaceUrl: string, query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const body = await httpOk(`${workspaceUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  return body ? (JSON.parse(body) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result : [];
}

function mentions(request: RecordedRequest, text: string): boolean {
  return request.body.includes(text);
}

describe("local alert path: collector -> workspace rules -> Alertmanager -> SNS -> notifier -> sinks", function () {
  this.timeout(90_000);
  let dir: string;
  const processes: RunningProcess[] = [];
  let nodeExporter: RunningProcess | undefined;
  let nodeExporterPort: number;
  let sinks: Sinks | undefined;
  let sns: SnsStub | undefined;
  let alertmanager: LocalAlertmanager | undefined;
  let workspaceUrl: string;
  const invocations: { publish: SnsPublish; result: HandleResult }[] = [];

  function startNodeExporter(): RunningProcess {
    return startProcess("node-exporter", "prometheus-node-exporter", [
      `--web.listen-address=127.0.0.1:${nodeExporterPort}`,
      "--collector.disable-defaults",
      "--collector.loadavg",
      "--collector.meminfo",
    ]);
  }

  before(async function () {
    requireTool(this, "prometheus", "prometheus");
    requireTool(this, "prometheus-alertmanager", "prometheus-alertmanager");
    requireTool(this, "prometheus-node-exporter", "prometheus-node-exporter");
    dir = mkdtempSync(join(tmpdir(), "alert-path-"));

    sinks = await startSinks();
    const secretValues = Object.fromEntries(Object.entries(SECRETS).map(([arn, make]) => [arn, JSON.stringify(make(sinks!))]));
    const notifier = createNotifier({
      config: {
        destinations: [
          { name: "slack-observability", type: "slack", secretArn: Object.keys(SECRETS)[0], match: { teams: ["observability"] } },
          { name: "pagerduty-oncall", type: "pagerduty", secretArn: Object.keys(SECRETS)[1], match: { severities: ["critical", "warning"] } },
          { name: "audit-webhook", type: "webhook", secretArn: Object.keys(SECRETS)[2] },
        ],
      },
      secrets: {
        getSecretString: async (id) => {
          if (!(id in secretValues)) throw new Error(`no secret ${id}`);
          return secretValues[id];
        },
      },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    sns = await startSnsStub({
      credentials: CREDENTIALS,
      onPublish: async (publish) => {
        invocations.push({ publish, result: await notifier.handle(snsLambdaEvent(publish)) });
      },
    });

    // Alertmanager: the rendered AMP config, notifying within a second.
    const alertmanagerSettings = resolveAlertmanagerSettings(
      { region: "eu-west-1", topicArn: TOPIC },
      { teams: { observability: {}, platform: {} }, timing: { groupWait: "1s", groupInterval: "1s" }, severityTiming: { critical: { groupWait: "1s" } } },
    );
    alertmanager = await startLocalAlertmanager(join(dir, "alertmanager"), alertmanagerSettings, sns.url, CREDENTIALS);
    processes.push(alertmanager.process);

    // Workspace stand-in: remote-write receiver evaluating the rendered rule namespaces.
    const ruleSettings = resolveRuleSettings({ evaluationInterval: "1s", pending: { CollectorTargetDown: "0s" } });
    const ruleFiles = renderRuleNamespaces(ruleSettings).map((ns) => {
      const file = join(dir, `${ns.name}.yaml`);
      writeFileSync(file, ns.data);
      return file;
    });
    const workspacePort = await freePort();
    workspaceUrl = `http://127.0.0.1:${workspacePort}`;
    writeFileSync(
      join(dir, "workspace.yml"),
      stringify({
        global: { evaluation_interval: "1s" },
        rule_files: ruleFiles,
        alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanager.url.replace("http://", "")] }] }] },
      }),
    );
    processes.push(
      startProcess("workspace", "prometheus", [
        `--config.file=${join(dir, "workspace.yml")}`,
        `--storage.tsdb.path=${join(dir, "workspace-data")}`,
        `--web.listen-address=127.0.0.1:${workspacePort}`,
        `--web.external-url=${workspaceUrl}`,
        "--web.enable-remote-write-receiver",
      ]),
    );

    // Collector: agent mode, external labels, the metric allow-list, 1 s scrapes and sends.
    nodeExporterPort = await freePort();
    nodeExporter = startNodeExporter();
    const collectorPort = await freePort();
    writeFileSync(
      join(dir, "collector.yml"),
      stringify({
        global: { scrape_interval: "1s", scrape_timeout: "500ms", external_labels: EXTERNAL_LABELS },
        scrape_configs: [
          { job_name: "prometheus", static_configs: [{ targets: [`127.0.0.1:${collectorPort}`] }] },
          { job_name: "node-exporter", static_configs: [{ targets: [`127.0.0.1:${nodeExporterPort}`] }] },
        ],
        remote_write: [
          {
            url: `${workspaceUrl}/api/v1/write`,
            queue_config: { batch_send_deadline: "500ms", min_backoff: "100ms", max_backoff: "1s" },
            write_relabel_configs: [{ source_labels: ["__name__"], regex: allowlistRegex(collectorMetricAllowlist()), action: "keep" }],
          },
        ],
      }),
    );
    mkdirSync(join(dir, "collector-data"));
    processes.push(
      startProcess("collector", "prometheus", [
        "--enable-feature=agent",
        `--config.file=${join(dir, "collector.yml")}`,
        `--storage.agent.path=${join(dir, "collector-data")}`,
        `--web.listen-address=127.0.0.1:${collectorPort}`,
      ]),
    );
  });

  after(async function () {
    await Promise.all([...processes, ...(nodeExporter ? [nodeExporter] : [])].map((p) => p.stop()));
    await sns?.close();
    await sinks?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function logs(): string {
    return [...processes, ...(nodeExporter ? [nodeExporter] : [])].map((p) => p.log()).join("\n");
  }

  it("delivers a stopped target's alert to Slack and PagerDuty intact, then its resolution with the same dedup key", async function () {
    const targetDown = (alert: WorkspaceAlert) => alert.labels.alertname === "CollectorTargetDown" && alert.labels.job === "node-exporter";
    try {
      // The workspace holds the collector's series (with its external labels) and evaluates the rules.
      await waitFor(
        "node-exporter's up series in the workspace's recording rule",
        async () => {
          const result = await instantQuery(workspaceUrl, 'cluster_job:up:ratio{job="node-exporter"} == 1');
          return result.length === 1 ? result : undefined;
        },
        30_000,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${logs()}`);
    }
    expect((await workspaceAlerts(workspaceUrl)).filter(targetDown), "alert already active before the target stopped").to.deep.equal([]);

    const stoppedAt = Date.now();
    await nodeExporter!.stop();

    const firing = await waitFor("CollectorTargetDown to fire in the workspace", async () => (await workspaceAlerts(workspaceUrl)).find((a) => targetDown(a) && a.state === "firing"), 20_000);
    const activeAt = Date.parse(firing.activeAt);
    expect(firing.labels).to.deep.equal({ alertname: "CollectorTargetDown", account: "acme-payments", cluster: "blue", job: "node-exporter", severity: "warning", team: "observability" });

    const slackFiring = await waitFor("the Slack message", () => sinks!.accepted("slack").find((r) => mentions(r, "CollectorTargetDown") && mentions(r, "FIRING")), 20_000);
    const pagerDutyTrigger = await waitFor(
      "the PagerDuty trigger",
      () => sinks!.accepted("pagerduty").find((r) => (r.json as { event_action?: string }).event_action === "trigger"),
      20_000,
    );
    const latencyMs = slackFiring.at - activeAt;
    console.log(
      `      end-to-end: target stopped -> alert active ${activeAt - stoppedAt} ms; alert active -> Slack sink ${latencyMs} ms; ` +
        `-> PagerDuty sink ${pagerDutyTrigger.at - activeAt} ms`,
    );

    // Labels and annotations arrive exactly as the workspace evaluated them.
    const event = pagerDutyTrigger.json as { dedup_key: string; payload: { severity: string; summary: string; custom_details: { labels: unknown; annotations: unknown } } };
    expect(event.payload.custom_details.labels).to.deep.equal(firing.labels);
    expect(event.payload.custom_details.annotations).to.deep.equal(firing.annotations);
    expect(firing.annotations.summary).to.equal("100% of the node-exporter targets in cluster blue are down");
    expect(event.payload.severity).to.equal("warning");
    expect(event.payload.summary).to.equal(`CollectorTargetDown: ${firing.annotations.summary}`);
    const slackText = JSON.stringify(slackFiring.json);
    for (const text of [firing.annotations.summary, firing.annotations.description, firing.annotations.runbook_url, "acme-payments", "observability"]) {
      expect(slackText).to.contain(JSON.stringify(text).slice(1, -1));
    }
    // Destinations are delivered one after another: the webhook may still be on its way.
    const webhookFiring = await waitFor("the webhook call", () => sinks!.accepted("webhook").find((r) => mentions(r, "CollectorTargetDown")), 20_000);
    expect((webhookFiring.json as { labels: unknown }).labels).to.deep.equal(firing.labels);

    // What went through SNS: the rendered subject and the JSON message, one alert, signed for the topic's region.
    const publish = sns!.published.find((p) => p.subject?.includes("CollectorTargetDown"))!;
    expect(publish.subject).to.equal("[FIRING:1] CollectorTargetDown acme-payments/blue");
    expect(publish.messageAttributes.team.StringValue).to.equal("observability");
    expect(JSON.parse(publish.message).alerts[0].fingerprint).to.equal(event.dedup_key);

    // Resolution: the target comes back, the alert resolves and PagerDuty gets the same dedup key.
    const restartedAt = Date.now();
    nodeExporter = startNodeExporter();
    const resolve = await waitFor(
      "the PagerDuty resolve",
      () => sinks!.accepted("pagerduty").find((r) => (r.json as { event_action?: string }).event_action === "resolve"),
      30_000,
    );
    expect((resolve.json as { dedup_key: string }).dedup_key).to.equal(event.dedup_key);
    const slackResolved = await waitFor("the Slack resolution", () => sinks!.accepted("slack").find((r) => mentions(r, "CollectorTargetDown") && mentions(r, "RESOLVED")), 10_000);
    expect(JSON.stringify(slackResolved.json)).to.contain(firing.annotations.summary);
    console.log(`      resolution: target restarted -> PagerDuty resolve ${resolve.at - restartedAt} ms, same dedup key`);

    await sns!.idle();
    expect(sns!.rejected, "publishes SNS refused").to.deep.equal([]);
    expect(sns!.handlerErrors).to.deep.equal([]);
    const targetDownInvocations = invocations.filter((i) => i.publish.subject?.includes("CollectorTargetDown"));
    expect(targetDownInvocations.map((i) => i.result.ok)).to.not.include(false);
    expect(targetDownInvocations.map((i) => i.result.alerts.map((a) => a.status)).flat()).to.include.members(["firing", "resolved"]);
  });
});
