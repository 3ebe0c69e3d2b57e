/** Inputs as AWS and Alertmanager produce them, and builders for the notifier's tests. */
import { AmpAlert, AmpAlertMessage } from "../../components/alert-pipeline/notifier/amp-message";

export function ampAlert(overrides: Partial<AmpAlert> & { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): AmpAlert {
  return {
    status: "firing",
    labels: { alertname: "KubePodCrashLooping", severity: "warning", team: "payments", cluster: "prod-1", account: "111111111111", pod: "api-7d9f" },
    annotations: {
      summary: "Pod api-7d9f is crash looping",
      description: "Pod payments/api-7d9f restarted 5 times in 10 minutes.",
      runbook_url: "https://runbooks.example.com/KubePodCrashLooping",
    },
    startsAt: "2024-05-01T10:00:00Z",
    endsAt: "0001-01-01T00:00:00Z",
    generatorURL: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/graph?g0.expr=up",
    fingerprint: "9c6c11e994b31c3f",
    ...overrides,
  };
}

export function ampMessage(alerts: AmpAlert[], status: "firing" | "resolved" = "firing"): AmpAlertMessage {
  return {
    version: "1",
    status,
    receiver: "sns-payments",
    groupKey: '{}:{alertname="KubePodCrashLooping"}',
    groupLabels: { alertname: alerts[0]?.labels.alertname ?? "" },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/alertmanager",
    alerts,
  };
}

/** The event Lambda receives from an SNS subscription (shape from the Lambda developer guide). */
export function snsEvent(message: string, subject = "[FIRING:1] KubePodCrashLooping", topicArn = "arn:aws:sns:eu-west-1:999999999999:amp-alerts") {
  return {
    Records: [
      {
        EventVersion: "1.0",
        EventSubscriptionArn: `${topicArn}:21be56ed-a058-49f5-8c98-aedd2564c486`,
        EventSource: "aws:sns",
        Sns: {
          SignatureVersion: "1",
          Timestamp: "2024-05-01T10:00:01.000Z",
          Signature: "EXAMPLE",
          SigningCertUrl: "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-example.pem",
          MessageId: "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
          Message: message,
          MessageAttributes: {},
          Type: "Notification",
          UnsubscribeUrl: "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe",
          TopicArn: topicArn,
          Subject: subject,
        },
      },
    ],
  };
}

/** CloudWatch alarm SNS message, as in aws-lambda-go's test data (cloudwatch-alarm-sns-payload-single-metric.json). */
export const CLOUDWATCH_SNS_MESSAGE_WITH_ARN = JSON.stringify({
  AlarmName: "EXAMPLE",
  AlarmDescription: "EXAMPLE",
  AWSAccountId: "123456789012",
  NewStateValue: "ALARM",
  NewStateReason:
    "Threshold Crossed: 1 out of the last 1 datapoints [1234.0 (06/03/15 17:43:27)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).",
  StateChangeTime: "2015-06-03T17:43:27.123+0000",
  Region: "EXAMPLE",
  AlarmArn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:EXAMPLE",
  OldStateValue: "INSUFFICIENT_DATA",
  Trigger: {
    MetricName: "NetworkOut",
    Namespace: "AWS/EC2",
    StatisticType: "Statistic",
    Statistic: "AVERAGE",
    Unit: "Bytes",
    Dimensions: [{ value: "TestInstance", name: "InstanceId" }],
    Period: 60,
    EvaluationPeriods: 1,
    ComparisonOperator: "GreaterThanThreshold",
    Threshold: 0.0,
    TreatMissingData: "- TreatMissingData: missing",
    EvaluateLowSampleCountPercentile: "",
  },
});

/** An older alarm message without AlarmArn and with a display-name Region ("EU - Ireland"). */
export const CLOUDWATCH_SNS_MESSAGE_WITHOUT_ARN =
  '{"AlarmName":"Example alarm name","AlarmDescription":"Example alarm description.","AWSAccountId":"000000000000","NewStateValue":"ALARM","NewStateReason":"Threshold Crossed: 1 datapoint (10.0) was greater than or equal to the threshold (1.0).","StateChangeTime":"2017-01-12T16:30:42.236+0000","Region":"EU - Ireland","OldStateValue":"OK","Trigger":{"MetricName":"DeliveryErrors","Namespace":"ExampleNamespace","Statistic":"SUM","Unit":null,"Dimensions":[],"Period":300,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold","Threshold":1.0}}';

/** "CloudWatch Alarm State Change", single metric alarm, from the CloudWatch user guide. */
export function alarmStateChangeEvent() {
  return {
    version: "0",
    id: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
    "detail-type": "CloudWatch Alarm State Change",
    source: "aws.cloudwatch",
    account: "123456789012",
    time: "2019-10-02T17:04:40Z",
    region: "us-east-1",
    resources: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh"],
    detail: {
      alarmName: "ServerCpuTooHigh",
      configuration: {
        description: "Goes into alarm when server CPU utilization is too high!",
        metrics: [
          {
            id: "30b6c6b2-a864-43a2-4877-c09a1afc3b87",
            metricStat: {
              metric: { dimensions: { InstanceId: "i-12345678901234567" }, name: "CPUUtilization", namespace: "AWS/EC2" },
              period: 300,
              stat: "Average",
            },
            returnData: true,
          },
        ],
      },
      previousState: {
        reason:
          "Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).",
        reasonData:
          '{"version":"1.0","queryDate":"2019-10-01T13:56:40.985+0000","startDate":"2019-10-01T13:46:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[0.0666851903306472],"threshold":50.0}',
        timestamp: "2019-10-01T13:56:40.987+0000",
        value: "OK",
      },
      state: {
        reason:
          "Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).",
        reasonData:
          '{"version":"1.0","queryDate":"2019-10-02T17:04:40.985+0000","startDate":"2019-10-02T16:59:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[99.50160229693434],"threshold":50.0}',
        timestamp: "2019-10-02T17:04:40.989+0000",
        value: "ALARM",
      },
    },
  };
}

/**
 * Alertmanager 0.25's default SNS message (`sns.default.message`), rendered by
 * `amtool template render` with the shipped default.tmpl for one firing and one resolved alert.
 */
export const ALERTMANAGER_DEFAULT_TEXT = [
  "Pod is crash looping",
  "",
  "Alerts Firing:",
  "Labels:",
  " - alertname = KubePodCrashLooping",
  " - cluster = prod-1",
  " - pod = api-7d9f",
  " - severity = warning",
  " - team = payments",
  "Annotations:",
  " - description = Pod api-7d9f restarted 5 times = bad",
  " - runbook_url = https://runbooks.example.com/KubePodCrashLooping",
  " - summary = Pod is crash looping",
  "Source: http://prometheus/graph?g0.expr=up",
  "",
  "",
  "",
  "Alerts Resolved:",
  "Labels:",
  " - alertname = NodeNotReady",
  " - severity = critical",
  " - team = platform",
  "Annotations:",
  " - summary = Node ok",
  "Source: http://prometheus/graph?g0.expr=x",
  "",
  "",
  "",
].join("\n");

/** Fingerprints Alertmanager 0.25 itself reported (GET /api/v2/alerts) for these label sets. */
export const ALERTMANAGER_FINGERPRINTS: Array<{ labels: Record<string, string>; fingerprint: string }> = [
  {
    labels: { alertname: "KubePodCrashLooping", severity: "warning", team: "payments", cluster: "prod-1", pod: "api-7d9f" },
    fingerprint: "9c6c11e994b31c3f",
  },
  { labels: { alertname: "Ünïcode", x: 'a"b\nc' }, fingerprint: "7b4d60997b61df92" },
];
