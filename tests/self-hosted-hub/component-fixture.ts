/** The SelfHostedHub as a stack would compose it, run under the plan's mocks. */
import * as aws from "@pulumi/aws";
import { resolveAlertmanagerSettings } from "../../components/alert-pipeline/alertmanager";
import { resolveRuleSettings } from "../../components/alert-pipeline/rules";
import { SIZING } from "../../components/self-hosted-hub";
import { SelfHostedHub } from "../../components/self-hosted-hub/self-hosted-hub";
import { StackRun } from "../../stacks/plan/run-stack";
import { runUnderPlanMocks } from "../support/components-under-plan";

export const HUB = "210987654321";
export const REGION = "eu-west-1";
export const TOPIC = `arn:aws:sns:${REGION}:${HUB}:observability-alerts-selfhosted`;
export const TOPIC_KEY = `arn:aws:kms:${REGION}:${HUB}:key/alert-topic-key`;
export const ACCOUNTS = [
  { name: "payments", accountId: "111122223333", cloudWatchReadRoleArn: "arn:aws:iam::111122223333:role/grafana-cloudwatch-read-selfhosted", alarms: [{ preset: "lambda-errors" as const, resource: "charge" }] },
  { name: "orders", accountId: "444455556666", cloudWatchReadRoleArn: "arn:aws:iam::444455556666:role/grafana-cloudwatch-read-selfhosted", alarms: [] },
];

export function selfHostedHubRun(kind: "dev" | "prod"): Promise<StackRun> {
  return runUnderPlanMocks(() => {
    const awsProvider = new aws.Provider("hub", { region: REGION, allowedAccountIds: [HUB] });
    const hub = new SelfHostedHub("hub-selfhosted", {
      environment: "selfhosted",
      accountId: HUB,
      region: REGION,
      sizing: SIZING[kind],
      vpcId: "vpc-0abc",
      privateSubnetIds: ["subnet-a", "subnet-b"],
      collectorCidrs: ["10.20.0.0/16", "10.30.0.0/16"],
      certificateArn: `arn:aws:acm:${REGION}:${HUB}:certificate/hub`,
      ingestHostName: "metrics.hub.example.internal",
      grafanaHostName: "grafana.hub.example.internal",
      login: { userPoolArn: `arn:aws:cognito-idp:${REGION}:${HUB}:userpool/${REGION}_pool`, userPoolClientId: "client", userPoolDomain: "hub-login" },
      accounts: ACCOUNTS,
      rulesByAccount: { payments: resolveRuleSettings({ team: "payments" }), orders: resolveRuleSettings({ team: "orders" }) },
      alertmanager: resolveAlertmanagerSettings({ region: REGION, topicArn: TOPIC }, { teams: { payments: {} } }),
      alertTopicKeyArn: TOPIC_KEY,
      scrapeInterval: "30s",
      evaluationInterval: "30s",
      logRetentionDays: 30,
      awsProvider,
      tags: { "observability:environment": "selfhosted" },
    });
    return { remoteWriteUrls: hub.remoteWriteUrls, grafanaUrl: hub.grafanaUrl, ingestSecretArns: hub.ingestSecretArns };
  }, { accountId: HUB, region: REGION });
}
