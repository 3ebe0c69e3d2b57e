/**
 * Offline-plan directories for the CLI tests, in the plan's format
 * (`<dir>/<stack>/resources.json`), built from the same statement builders the components use.
 */
import * as fs from "fs";
import * as path from "path";
import { policyDocument, policyJson } from "../../components/iam/policy-document";
import {
  allowAmpPublishToTopic, allowAssumeRoleNamedInOrganization, allowAssumeRoles, allowCloudWatchReadForGrafana, allowQueryTaggedWorkspaces,
  allowQueryWorkspaces, allowRemoteWrite, trustExactRole, trustRoleOfAccount, trustServiceAccount, trustServiceForAccount, workspacesOfAccount,
} from "../../components/iam/statements";
import { iamRoleArn, snsTopicArn } from "../../components/shared/arns";
import { cloudWatchReadRoleName, collectorRoleName, grafanaRoleName, ingestRoleName } from "../../components/shared/naming";
import { PlanStack } from "../../policies/evaluate";

export function writePlan(dir: string, stacks: PlanStack[]): void {
  for (const stack of stacks) {
    fs.mkdirSync(path.join(dir, stack.stack), { recursive: true });
    fs.writeFileSync(path.join(dir, stack.stack, "resources.json"), JSON.stringify(stack, null, 1));
  }
}

function record(stack: string, type: string, name: string, inputs: Record<string, unknown>, parent: string | null = null): PlanStack["resources"][number] {
  return { urn: `urn:pulumi:${stack}::observability::${type}::${name}`, type, name, custom: true, parent, provider: `urn:pulumi:${stack}::observability::pulumi:providers:aws::default`, inputs };
}

const doc = (...statements: Parameters<typeof policyDocument>) => policyJson(policyDocument(...statements));

/**
 * A hub and one workload stack per account, shaped like the architecture's least-privilege
 * IAM. `scoped` uses the project's builders (tag, organisation and account-pattern scopes,
 * one size at any N); `enumerated` names every account one by one, as the hub once did.
 */
export function synthesiseEnvironment(environment: string, hubAccount: string, accountCount: number, region = "eu-west-1", style: "scoped" | "enumerated" = "scoped"): PlanStack[] {
  const hubStack = environment;
  const accounts = Array.from({ length: accountCount }, (_, i) => ({ name: `team${i}`, id: String(200000000000 + i) }));
  const workspaceArn = (name: string) => `arn:aws:aps:${region}:${hubAccount}:workspace/ws-${name}`;
  const topic = snsTopicArn(region, hubAccount, `amp-alerts-${environment}`);
  const hub: PlanStack["resources"] = [
    record(hubStack, "aws:iam/role:Role", grafanaRoleName(environment), {
      name: grafanaRoleName(environment),
      assumeRolePolicy: doc(trustServiceForAccount("grafana.amazonaws.com", hubAccount)),
      inlinePolicies: style === "scoped"
        ? [
            { name: "query", policy: doc(allowQueryTaggedWorkspaces({ region, accountId: hubAccount, tagKey: "observability:environment", tagValue: environment })) },
            { name: "cloudwatch", policy: doc(allowAssumeRoleNamedInOrganization(cloudWatchReadRoleName(environment), "o-a1b2c3d4e5")) },
          ]
        : [
            { name: "query", policy: doc(allowQueryWorkspaces(accounts.map((a) => workspaceArn(a.name)))) },
            { name: "cloudwatch", policy: doc(allowAssumeRoles(accounts.map((a) => iamRoleArn(a.id, cloudWatchReadRoleName(environment))))) },
          ],
    }),
    record(hubStack, "aws:sns/topicPolicy:TopicPolicy", "alerts", {
      arn: topic,
      policy: style === "scoped"
        ? doc(allowAmpPublishToTopic(topic, hubAccount, [workspacesOfAccount(region, hubAccount)]))
        : doc(...accounts.map((a, i) => ({
            Sid: `AmpPublish${i}`, Effect: "Allow" as const, Principal: { Service: "aps.amazonaws.com" }, Action: ["sns:Publish", "sns:GetTopicAttributes"], Resource: topic,
            Condition: { ArnEquals: { "aws:SourceArn": workspaceArn(a.name) }, StringEquals: { "aws:SourceAccount": hubAccount } },
          }))),
    }),
    record(hubStack, "aws:lambda/permission:Permission", "notifier-from-alerts", { function: "notifier", action: "lambda:InvokeFunction", principal: "sns.amazonaws.com", sourceArn: topic }),
  ];
  for (const account of accounts) {
    hub.push(record(hubStack, "aws:amp/workspace:Workspace", `workspace-${account.name}`, { alias: `${environment}-${account.name}` }));
    hub.push(record(hubStack, "aws:iam/role:Role", ingestRoleName(environment, account.name), {
      name: ingestRoleName(environment, account.name),
      assumeRolePolicy: doc(trustRoleOfAccount(account.id, [iamRoleArn(account.id, collectorRoleName(environment, account.name))])),
      inlinePolicies: [{ name: "remote-write", policy: doc(allowRemoteWrite(workspaceArn(account.name))) }],
    }));
  }
  const stacks: PlanStack[] = [{ stack: hubStack, environment, accountId: hubAccount, resources: hub }];
  for (const account of accounts) {
    const stack = `${environment}-${account.name}`;
    const issuer = `oidc.eks.${region}.amazonaws.com/id/${account.id}`;
    stacks.push({
      stack,
      environment,
      accountId: account.id,
      resources: [
        record(stack, "aws:iam/role:Role", collectorRoleName(environment, account.name), {
          name: collectorRoleName(environment, account.name),
          assumeRolePolicy: doc(trustServiceAccount({ oidcProviderArn: `arn:aws:iam::${account.id}:oidc-provider/${issuer}`, oidcIssuerUrl: `https://${issuer}`, namespace: "monitoring", serviceAccount: "prometheus" })),
          inlinePolicies: [{ name: "assume-ingest", policy: doc(allowAssumeRoles([iamRoleArn(hubAccount, ingestRoleName(environment, account.name))])) }],
        }),
        record(stack, "aws:iam/role:Role", cloudWatchReadRoleName(environment), {
          name: cloudWatchReadRoleName(environment),
          assumeRolePolicy: doc(trustExactRole(iamRoleArn(hubAccount, grafanaRoleName(environment)))),
          inlinePolicies: [{ name: "read", policy: doc(...allowCloudWatchReadForGrafana(account.id)) }],
        }),
        // The cluster's OIDC provider ARN is an output: unknown at plan time.
        record(stack, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "collector-extra", { role: collectorRoleName(environment, account.name), policyArn: "<unknown>" }),
      ],
    });
  }
  return stacks;
}
