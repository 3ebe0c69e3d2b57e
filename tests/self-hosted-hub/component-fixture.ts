/** The SelfHostedHub as a stack would compose it, run under the plan's mocks. */
import * as aws from "@pulumi/aws";
import { resolveAlertmanagerSettings } from "../../components/alert-pipeline/alertmanager";
import { resolveRuleSettings } from "../../components/alert-pipeline/rules";
import { SIZING } from "../../components/self-hosted-hub";
import { SelfHostedHub } from "../../components/self-hosted-hub/self-hosted-hub";
import { SelfHostedHubAccount } from "../../components/self-hosted-hub/self-hosted-hub-account";
import { StackRun } from "../../stacks/plan/run-stack";
import { runUnderPlanMocks } from "../support/components-under-plan";

export const HUB = "210987654321";
export const REGION = "eu-west-1";
export const TOPIC = `arn:aws:sns:${REGION}:${HUB}:observability-alerts-selfhosted`;
export const TOPIC_KEY = `arn:aws:kms:${REGION}:${HUB}:key/alert-topic-key`;
export const ORGANIZATION = "o-a1b2c3d4e5";
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
      automationCidrs: ["10.40.8.0/24"],
      certificateArn: `arn:aws:acm:${REGION}:${HUB}:certificate/hub`,
      ingestHostName: "metrics.hub.example.internal",
      grafanaHostName: "grafana.hub.example.internal",
      login: { userPoolArn: `arn:aws:cognito-idp:${REGION}:${HUB}:userpool/${REGION}_pool`, userPoolClientId: "client", userPoolDomain: "hub-login" },
      organizationId: ORGANIZATION,
      cloudWatchReadRoleName: "grafana-cloudwatch-read-selfhosted",
      alertmanager: resolveAlertmanagerSettings({ region: REGION, topicArn: TOPIC }, { teams: { payments: {} } }),
      alertTopicKeyArn: TOPIC_KEY,
      scrapeInterval: "30s",
      evaluationInterval: "30s",
      logRetentionDays: 30,
      awsProvider,
      tags: { "observability:environment": "selfhosted" },
    });
    return { remoteWriteUrls: hub.remoteWriteUrls, grafanaUrl: hub.grafanaUrl, configBucketName: hub.configBucketName, grafanaProxyUrl: hub.grafanaProxyUrl, grafanaApiUrl: hub.grafanaApiUrl, grafanaApiToken: hub.grafanaApiToken };
  }, { accountId: HUB, region: REGION });
}

/** One account's pieces, as its hub stack composes them (into the hub account, with the hub's provider). */
export function selfHostedHubAccountRun(account: (typeof ACCOUNTS)[number], team: string): Promise<StackRun> {
  return runUnderPlanMocks(() => {
    const awsProvider = new aws.Provider("hub", { region: REGION, allowedAccountIds: [HUB] });
    const part = new SelfHostedHubAccount(`hub-selfhosted-${account.name}`, {
      environment: "selfhosted",
      account: account.name,
      collectorRoleArn: `arn:aws:iam::${account.accountId}:role/amp-collector-selfhosted-${account.name}`,
      keyArn: `arn:aws:kms:${REGION}:${HUB}:key/hub-selfhosted-key`,
      configBucketName: `hub-selfhosted-config-${HUB}`,
      rules: resolveRuleSettings({ team }),
      region: REGION,
      cloudWatchReadRoleArn: account.cloudWatchReadRoleArn,
      alarms: account.alarms,
      awsProvider,
      tags: { "observability:environment": "selfhosted" },
    });
    return { ingestSecretArn: part.ingestSecretArn };
  }, { accountId: HUB, region: REGION });
}
