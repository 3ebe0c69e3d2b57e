import { expect } from "chai";
import { readLambdaEvent } from "../../components/alert-pipeline/notifier/inbound";
import { alertmanagerFingerprint, cloudWatchFingerprint } from "../../components/alert-pipeline/notifier/fingerprint";
import { normaliseSeverity, normaliseTimestamp } from "../../components/alert-pipeline/notifier/alert";
import {
  ALERTMANAGER_DEFAULT_TEXT,
  ALERTMANAGER_FINGERPRINTS,
  CLOUDWATCH_SNS_MESSAGE_WITHOUT_ARN,
  CLOUDWATCH_SNS_MESSAGE_WITH_ARN,
  alarmStateChangeEvent,
  ampAlert,
  ampMessage,
  snsEvent,
} from "./fixtures";

describe("notifier normalisers", () => {
  describe("AMP alertmanager messages", () => {
    it("reads the JSON template contract into the alert model", () => {
      const resolved = ampAlert({ status: "resolved", endsAt: "2024-05-01T10:30:00Z", fingerprint: "0123456789abcdef" });
      const { alerts, malformed } = readLambdaEvent(snsEvent(JSON.stringify(ampMessage([ampAlert(), resolved]))));
      expect(malformed).to.deep.equal([]);
      expect(alerts.map((a) => a.location)).to.deep.equal(["event.Records[0].Sns.Message alerts[0]", "event.Records[0].Sns.Message alerts[1]"]);
      expect(alerts[0].alert).to.deep.equal({
        source: "amp",
        via: "sns",
        status: "firing",
        fingerprint: "9c6c11e994b31c3f",
        alertname: "KubePodCrashLooping",
        severity: "warning",
        team: "payments",
        account: "111111111111",
        region: "",
        cluster: "prod-1",
        summary: "Pod api-7d9f is crash looping",
        description: "Pod payments/api-7d9f restarted 5 times in 10 minutes.",
        runbook_url: "https://runbooks.example.com/KubePodCrashLooping",
        labels: ampAlert().labels,
        annotations: ampAlert().annotations,
        startsAt: "2024-05-01T10:00:00.000Z",
        endsAt: undefined,
        generatorURL: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/graph?g0.expr=up",
      });
      expect(alerts[1].alert.status).to.equal("resolved");
      expect(alerts[1].alert.endsAt).to.equal("2024-05-01T10:30:00.000Z");
      expect(alerts[1].alert.fingerprint).to.equal("0123456789abcdef");
    });

    it("computes Alertmanager's own fingerprint when the message has none or a malformed one", () => {
      for (const { labels, fingerprint } of ALERTMANAGER_FINGERPRINTS) {
        expect(alertmanagerFingerprint(labels)).to.equal(fingerprint);
      }
      const injected = ampAlert({ fingerprint: '" OR project = SECRET' });
      const { alerts } = readLambdaEvent(snsEvent(JSON.stringify(ampMessage([injected]))));
      expect(alerts[0].alert.fingerprint).to.equal(alertmanagerFingerprint(injected.labels));
    });

    it("reads Alertmanager's default plain-text SNS template, with the same fingerprints as the JSON path", () => {
      const { alerts, malformed, warnings } = readLambdaEvent(snsEvent(ALERTMANAGER_DEFAULT_TEXT));
      expect(malformed).to.deep.equal([]);
      expect(warnings.map((w) => w.reason)).to.deep.equal(["message used Alertmanager's plain-text template, not the JSON template"]);
      expect(alerts.map((a) => [a.alert.alertname, a.alert.status, a.alert.severity, a.alert.team])).to.deep.equal([
        ["KubePodCrashLooping", "firing", "warning", "payments"],
        ["NodeNotReady", "resolved", "critical", "platform"],
      ]);
      const [crash] = alerts;
      expect(crash.alert.annotations).to.deep.equal({
        description: "Pod api-7d9f restarted 5 times = bad",
        runbook_url: "https://runbooks.example.com/KubePodCrashLooping",
        summary: "Pod is crash looping",
      });
      expect(crash.alert.generatorURL).to.equal("http://prometheus/graph?g0.expr=up");
      expect(crash.alert.fingerprint).to.equal(ALERTMANAGER_FINGERPRINTS[0].fingerprint);
    });

    it("keeps multi-line values from the text template together", () => {
      const text = "Alerts Firing:\nLabels:\n - alertname = DiskFull\nAnnotations:\n - description = line one\nline two\n - summary = disk\nSource: http://x\n";
      const { alerts } = readLambdaEvent(snsEvent(text));
      expect(alerts[0].alert.description).to.equal("line one\nline two");
      expect(alerts[0].alert.summary).to.equal("disk");
    });

    it("repairs the JSON an unescaped template produces (quotes, newlines, backslashes in values)", () => {
      const broken =
        '{"version":"1","status":"firing","receiver":"r","groupKey":"g","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"",' +
        '"alerts":[{"status":"firing","labels":{"alertname":"HighLatency","severity":"critical","team":"checkout"},' +
        '"annotations":{"summary":"p95 is "too high" on C:\\path","description":"first line\nsecond line"},' +
        '"startsAt":"2024-05-01T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://x","fingerprint":"00000000000000aa"}]}';
      expect(() => JSON.parse(broken)).to.throw();
      const { alerts, malformed, warnings } = readLambdaEvent(snsEvent(broken));
      expect(malformed).to.deep.equal([]);
      expect(warnings).to.have.length(1);
      expect(alerts[0].alert.summary).to.equal('p95 is "too high" on C:\\path');
      expect(alerts[0].alert.description).to.equal("first line\nsecond line");
      expect(alerts[0].alert.severity).to.equal("critical");
    });

    it("delivers the complete alerts of a cut-off message and dead-letters the message", () => {
      const full = JSON.stringify(ampMessage([ampAlert({ fingerprint: "000000000000000a" }), ampAlert({ fingerprint: "000000000000000b" })]));
      const cut = full.slice(0, full.indexOf('"fingerprint":"000000000000000b"') - 20);
      const { alerts, malformed } = readLambdaEvent(snsEvent(cut));
      expect(alerts.map((a) => a.alert.fingerprint)).to.deep.equal(["000000000000000a"]);
      expect(malformed).to.have.length(1);
      expect(malformed[0].reason).to.match(/cut off/);
    });

    it("reports alerts without labels instead of inventing them", () => {
      const message = { ...ampMessage([ampAlert()]), alerts: [ampAlert(), { status: "firing" }, "nonsense"] };
      const { alerts, malformed } = readLambdaEvent(snsEvent(JSON.stringify(message)));
      expect(alerts).to.have.length(1);
      expect(malformed.map((m) => m.reason)).to.deep.equal(["alerts[1] has no labels", "alerts[2] is not an object"]);
    });
  });

  describe("CloudWatch alarm SNS messages", () => {
    it("reads AWS's example alarm message, region from AlarmArn, not the display name", () => {
      const { alerts, malformed } = readLambdaEvent(snsEvent(CLOUDWATCH_SNS_MESSAGE_WITH_ARN, 'ALARM: "EXAMPLE" in EU (Ireland)'));
      expect(malformed).to.deep.equal([]);
      const { alert } = alerts[0];
      expect(alert).to.include({
        source: "cloudwatch",
        via: "sns",
        status: "firing",
        alertname: "EXAMPLE",
        account: "123456789012",
        region: "eu-west-1",
        severity: "warning",
        team: "unassigned",
        startsAt: "2015-06-03T17:43:27.123Z",
        fingerprint: cloudWatchFingerprint("123456789012", "eu-west-1", "EXAMPLE"),
        generatorURL: "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/EXAMPLE",
      });
      expect(alert.description).to.match(/^Threshold Crossed/);
      expect(alert.labels).to.include({ namespace: "AWS/EC2", metric_name: "NetworkOut", dimension_InstanceId: "TestInstance", alarm_state: "ALARM" });
    });

    it("takes the region from the SNS topic when the message has no AlarmArn", () => {
      const { alerts } = readLambdaEvent(snsEvent(CLOUDWATCH_SNS_MESSAGE_WITHOUT_ARN, "x", "arn:aws:sns:eu-west-1:000000000000:cloudwatch-alarms"));
      expect(alerts[0].alert.region).to.equal("eu-west-1");
      expect(alerts[0].alert.startsAt).to.equal("2017-01-12T16:30:42.236Z");
    });

    it("takes severity, team and runbook from alarm tags first, then description tokens", () => {
      const message = JSON.parse(CLOUDWATCH_SNS_MESSAGE_WITH_ARN);
      message.AlarmDescription = "Orders queue is backing up severity=critical team=orders runbook_url=https://runbooks.example.com/sqs-age";
      let alert = readLambdaEvent(snsEvent(JSON.stringify(message))).alerts[0].alert;
      expect(alert).to.include({ severity: "critical", team: "orders", runbook_url: "https://runbooks.example.com/sqs-age", summary: "Orders queue is backing up" });
      message.AlarmTags = [{ Key: "team", Value: "payments" }];
      alert = readLambdaEvent(snsEvent(JSON.stringify(message))).alerts[0].alert;
      expect(alert.team).to.equal("payments");
      expect(alert.severity).to.equal("critical");
    });

    it("resolves on OK with the same fingerprint, and ignores INSUFFICIENT_DATA", () => {
      const message = JSON.parse(CLOUDWATCH_SNS_MESSAGE_WITH_ARN);
      const firing = readLambdaEvent(snsEvent(JSON.stringify(message))).alerts[0].alert;
      const ok = readLambdaEvent(snsEvent(JSON.stringify({ ...message, NewStateValue: "OK", OldStateValue: "ALARM" }))).alerts[0].alert;
      expect(ok.status).to.equal("resolved");
      expect(ok.endsAt).to.equal("2015-06-03T17:43:27.123Z");
      expect(ok.fingerprint).to.equal(firing.fingerprint);
      const noData = readLambdaEvent(snsEvent(JSON.stringify({ ...message, NewStateValue: "INSUFFICIENT_DATA", OldStateValue: "ALARM" })));
      expect(noData.alerts).to.deep.equal([]);
      expect(noData.malformed).to.deep.equal([]);
      expect(noData.ignored).to.deep.equal([{ location: "event.Records[0].Sns.Message", reason: "INSUFFICIENT_DATA neither fires nor resolves", alertname: "EXAMPLE" }]);
    });
  });

  describe("EventBridge alarm state changes", () => {
    it("reads AWS's example event with the same fingerprint scheme as the SNS path", () => {
      const { alerts, malformed } = readLambdaEvent(alarmStateChangeEvent());
      expect(malformed).to.deep.equal([]);
      expect(alerts[0].alert).to.include({
        source: "cloudwatch",
        via: "eventbridge",
        status: "firing",
        alertname: "ServerCpuTooHigh",
        account: "123456789012",
        region: "us-east-1",
        summary: "Goes into alarm when server CPU utilization is too high!",
        startsAt: "2019-10-02T17:04:40.989Z",
        fingerprint: cloudWatchFingerprint("123456789012", "us-east-1", "ServerCpuTooHigh"),
      });
      expect(alerts[0].alert.labels).to.include({ metric_name: "CPUUtilization", namespace: "AWS/EC2", dimension_InstanceId: "i-12345678901234567" });
    });

    it("skips the OK that follows an alarm's creation but resolves any other OK", () => {
      const created = alarmStateChangeEvent();
      created.detail.state = { ...created.detail.state, value: "OK" };
      created.detail.previousState = { ...created.detail.previousState, value: "INSUFFICIENT_DATA", reason: "Unchecked: Initial alarm creation" };
      expect(readLambdaEvent(created).ignored.map((i) => i.reason)).to.deep.equal(["first evaluation of a new alarm"]);
      const recovered = alarmStateChangeEvent();
      recovered.detail.state = { ...recovered.detail.state, value: "OK" };
      recovered.detail.previousState = { ...recovered.detail.previousState, value: "ALARM" };
      expect(readLambdaEvent(recovered).alerts[0].alert.status).to.equal("resolved");
    });

    it("reads alarm tags from detail.alarmTags", () => {
      const event = alarmStateChangeEvent() as ReturnType<typeof alarmStateChangeEvent> & { detail: { alarmTags?: unknown } };
      event.detail.alarmTags = { severity: "critical", team: "platform" };
      expect(readLambdaEvent(event).alerts[0].alert).to.include({ severity: "critical", team: "platform" });
    });
  });

  describe("redriven and unknown events", () => {
    it("unwraps Lambda on-failure records and raw events redriven through SQS", () => {
      const original = snsEvent(JSON.stringify(ampMessage([ampAlert()])));
      const failureRecord = {
        version: "1.0",
        timestamp: "2024-05-01T10:05:00.000Z",
        requestContext: { requestId: "r-1", functionArn: "arn:aws:lambda:eu-west-1:999999999999:function:notifier", condition: "RetriesExhausted", approximateInvokeCount: 3 },
        requestPayload: original,
        responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
        responsePayload: { errorType: "NotificationFailedError" },
      };
      const sqs = {
        Records: [
          { messageId: "m1", eventSource: "aws:sqs", body: JSON.stringify(failureRecord) },
          { messageId: "m2", eventSource: "aws:sqs", body: JSON.stringify(alarmStateChangeEvent()) },
        ],
      };
      const { alerts, malformed } = readLambdaEvent(sqs);
      expect(malformed).to.deep.equal([]);
      expect(alerts.map((a) => a.alert.alertname)).to.deep.equal(["KubePodCrashLooping", "ServerCpuTooHigh"]);
      expect(alerts[0].location).to.equal("event.Records[0].body.requestPayload.Records[0].Sns.Message alerts[0]");
    });

    it("reports every unknown shape as malformed with its raw text", () => {
      const cases: unknown[] = [
        null,
        "just a string",
        { Records: [] },
        { Records: [{ eventSource: "aws:s3", s3: {} }] },
        { source: "aws.ec2", "detail-type": "EC2 Instance State-change Notification", detail: {} },
        snsEvent("hello from SNS"),
        snsEvent('{"totally": "unrelated"}'),
        snsEvent(""),
      ];
      for (const event of cases) {
        const { alerts, malformed } = readLambdaEvent(event);
        expect(alerts, JSON.stringify(event)).to.deep.equal([]);
        expect(malformed, JSON.stringify(event)).to.have.length(1);
      }
      const { malformed } = readLambdaEvent(snsEvent("hello from SNS"));
      expect(malformed[0]).to.deep.include({ location: "event.Records[0].Sns.Message", excerpt: "hello from SNS", size: 14 });
    });
  });

  describe("field helpers", () => {
    it("maps severities onto PagerDuty's four levels", () => {
      expect(["critical", "PAGE", "high", "warn", "info", "none", "bogus", undefined].map(normaliseSeverity)).to.deep.equal([
        "critical", "critical", "error", "warning", "info", "info", "warning", "warning",
      ]);
    });

    it("treats Alertmanager's zero time as unset and reads CloudWatch offsets", () => {
      expect(normaliseTimestamp("0001-01-01T00:00:00Z")).to.equal(undefined);
      expect(normaliseTimestamp("2021-02-15T14:57:14.419+0000")).to.equal("2021-02-15T14:57:14.419Z");
      expect(normaliseTimestamp("not a date")).to.equal(undefined);
    });
  });
});
