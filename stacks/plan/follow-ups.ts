/**
 * What an operator must do by hand around `pulumi up`, derived from the organisation model:
 * values the program deliberately never sees (secrets), confirmations only a person can give
 * (SNS email), access it cannot grant itself (existing EKS clusters) and DNS it does not own.
 */
import { destinationSecretName, pipelineHealthTopicName } from "../../components/alert-pipeline/hub/names";
import { INGRESS_NGINX_NAMESPACE } from "../../components/unified-query/exposure";
import { HubStackConfig, isDemoCluster } from "../config/schema";

export type FollowUpKind = "destination-secret" | "email-confirmation" | "eks-access-entry" | "scraper-access" | "dns-record";

export interface FollowUp {
  kind: FollowUpKind;
  /** `hub` or the workload account's name. */
  account: string;
  /** When: before the stack's `pulumi up` can succeed, or after it. */
  when: "before" | "after";
  what: string;
  command?: string;
}

/** The JSON each destination type reads from its secret (components/alert-pipeline/notifier/secrets.ts). */
const SECRET_SHAPES: Record<string, string> = {
  slack: '{"webhookUrl":"https://hooks.slack.com/services/..."}',
  pagerduty: '{"routingKey":"<Events API v2 integration key>"}',
  jira: '{"baseUrl":"https://<site>.atlassian.net","email":"<user email>","apiToken":"<API token>"}',
  webhook: '{"url":"https://...","headers":{}}',
};

const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/** `https://oidc.eks.<region>.amazonaws.com/id/...` -> `<region>`. */
function regionOfIssuer(issuerUrl: string, fallback: string): string {
  return /^https:\/\/oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com\//.exec(issuerUrl)?.[1] ?? fallback;
}

function accessEntry(account: string, cluster: string, region: string, principalArn: string): FollowUp {
  return {
    kind: "eks-access-entry",
    account,
    when: "before",
    what: `give the deploy role ${principalArn} cluster-admin on the existing cluster ${cluster} (${region}), so pulumi can install into it (skip if an aws-auth mapping to system:masters already does)`,
    command: `aws eks create-access-entry --region ${region} --cluster-name ${cluster} --principal-arn ${principalArn} && ` +
      `aws eks associate-access-policy --region ${region} --cluster-name ${cluster} --principal-arn ${principalArn} --policy-arn ${CLUSTER_ADMIN_POLICY} --access-scope type=cluster`,
  };
}

export function followUpsOf(config: HubStackConfig): FollowUp[] {
  const { environment, hub, alerting, unifiedQuery } = config;
  const followUps: FollowUp[] = [];

  for (const destination of alerting.destinations) {
    const secret = destination.secretName ?? destinationSecretName(environment, destination.name);
    followUps.push({
      kind: "destination-secret",
      account: "hub",
      when: "after",
      what: `fill the secret ${secret} of ${destination.type} destination "${destination.name}" (created empty; until then its alerts fail and are dead-lettered)`,
      command: `aws secretsmanager put-secret-value --region ${hub.region} --secret-id ${secret} --secret-string '${SECRET_SHAPES[destination.type]}'`,
    });
  }
  for (const email of alerting.pipelineHealthEmails) {
    followUps.push({
      kind: "email-confirmation",
      account: "hub",
      when: "after",
      what: `${email} must confirm the SNS subscription email of topic ${pipelineHealthTopicName(environment)}, or it never hears that the notifier failed`,
    });
  }
  if (unifiedQuery?.cluster.kind === "existing") {
    followUps.push(accessEntry("hub", unifiedQuery.cluster.name, regionOfIssuer(unifiedQuery.cluster.oidcIssuerUrl, hub.region), hub.deployRoleArn));
  }
  for (const workload of config.workloads) {
    for (const cluster of workload.clusters) {
      if (isDemoCluster(cluster)) continue;
      const region = regionOfIssuer(cluster.oidcIssuerUrl, hub.region);
      followUps.push(accessEntry(workload.name, cluster.name, region, workload.deployRoleArn));
      if (workload.collector.mode === "managed-scraper") {
        // The program reads the cluster's authentication mode at deploy time: with access
        // entries AMP grants the scraper itself; with CONFIG_MAP only the program installs the
        // aps-collector-role RBAC, and the aws-auth mapping is left to an operator.
        followUps.push({
          kind: "scraper-access",
          account: workload.name,
          when: "after",
          what: `only if cluster ${cluster.name} authenticates with CONFIG_MAP (stack output scraperAccess.${cluster.name}.method is "aws-auth"): ` +
            `map the AMP scraper's role (output scraperAccess.${cluster.name}.awsAuthRoleArn) to the user aps-collector-user in aws-auth, ` +
            `which the installed ClusterRole aps-collector-role is bound to; until then the scraper finds no targets. ` +
            `With API or API_AND_CONFIG_MAP, AMP creates the scraper's access entry itself (AMP user guide, "Configuring your Amazon EKS cluster")`,
          command: `eksctl create iamidentitymapping --region ${region} --cluster ${cluster.name} --username aps-collector-user ` +
            `--arn "$(pulumi stack output -s ${environment}-${workload.name} scraperAccess --json | jq -r '.["${cluster.name}"].awsAuthRoleArn')"`,
        });
      }
    }
  }
  const exposure = unifiedQuery?.exposure;
  if (exposure?.hostname) {
    followUps.push({
      kind: "dns-record",
      account: "hub",
      when: "after",
      what: `point ${exposure.hostname} (CNAME or alias) at the ALB of ingress promxy-alb in namespace ${INGRESS_NGINX_NAMESPACE}` +
        (exposure.certificateArn ? `; the certificate ${exposure.certificateArn} must cover ${exposure.hostname}` : "") +
        "; until then Grafana's \"All accounts\" data source cannot connect",
      command: `kubectl -n ${INGRESS_NGINX_NAMESPACE} get ingress promxy-alb -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'`,
    });
  }
  return followUps;
}
