/**
 * A mixed batch of alert events as the hub receives them: AMP notification groups over SNS,
 * CloudWatch alarm actions over SNS and alarm state changes over EventBridge. Every alert
 * has its own fingerprint, so deliveries can be traced one by one.
 */
import { alertmanagerFingerprint, cloudWatchFingerprint } from "../../components/alert-pipeline/notifier/fingerprint";
import { CLOUDWATCH_SNS_MESSAGE_WITH_ARN, alarmStateChangeEvent, ampAlert, ampMessage, snsEvent } from "./fixtures";

export interface BatchEvent {
  event: unknown;
  fingerprints: string[];
}

const TEAMS = ["payments", "search", "platform"];
const SEVERITIES = ["critical", "warning", "error", "info"];

export function mixedAlertBatch(total: number, alertsPerAmpMessage = 5): BatchEvent[] {
  const events: BatchEvent[] = [];
  const cloudWatchShare = Math.floor(total / 4);
  const ampTotal = total - 2 * cloudWatchShare;
  for (let start = 0; start < ampTotal; start += alertsPerAmpMessage) {
    const alerts = [];
    for (let i = start; i < Math.min(ampTotal, start + alertsPerAmpMessage); i++) {
      const labels = { alertname: `Synthetic${i % 7}`, severity: SEVERITIES[i % 4], team: TEAMS[i % 3], cluster: "prod-1", account: "111111111111", instance: `node-${i}` };
      alerts.push(
        ampAlert({
          status: i % 5 === 4 ? "resolved" : "firing",
          labels,
          annotations: { summary: `Synthetic alert ${i}`, description: `Alert number ${i} of the batch`, runbook_url: "https://runbooks.example.com/synthetic" },
          endsAt: i % 5 === 4 ? "2024-05-01T10:30:00Z" : "0001-01-01T00:00:00Z",
          fingerprint: alertmanagerFingerprint(labels),
        }),
      );
    }
    events.push({ event: snsEvent(JSON.stringify(ampMessage(alerts))), fingerprints: alerts.map((alert) => alert.fingerprint) });
  }
  const base = JSON.parse(CLOUDWATCH_SNS_MESSAGE_WITH_ARN);
  for (let i = 0; i < cloudWatchShare; i++) {
    const name = `sqs-age-orders-${i}`;
    const message = {
      ...base,
      AlarmName: name,
      AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`,
      AlarmDescription: `Orders queue ${i} is backing up severity=${SEVERITIES[i % 4]} team=${TEAMS[i % 3]}`,
    };
    events.push({ event: snsEvent(JSON.stringify(message), `ALARM: "${name}"`), fingerprints: [cloudWatchFingerprint("123456789012", "eu-west-1", name)] });
  }
  for (let i = 0; i < cloudWatchShare; i++) {
    const event = alarmStateChangeEvent();
    const name = `lambda-errors-${i}`;
    event.detail.alarmName = name;
    event.resources = [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`];
    event.detail.configuration.description = `Function ${i} errors severity=${SEVERITIES[(i + 1) % 4]} team=${TEAMS[(i + 1) % 3]}`;
    events.push({ event, fingerprints: [cloudWatchFingerprint("123456789012", "us-east-1", name)] });
  }
  return events;
}
