/**
 * The organisation model: what `Pulumi.<env>.yaml` (the hub stack of an environment) and
 * a workload stack file may say. Shapes and formats live here; rules that relate several
 * values (duplicates, accounts that must match) live in `validate.ts`.
 *
 * Every key says what it means with `.describe(...)`: the README's config reference is
 * generated from these schemas (`npm run docs:config`, `reference.ts`), and a key without a
 * description fails that generation and its test.
 */
import { z } from "zod";
import { alertmanagerOverrideSchema, durationSeconds } from "../../components/alert-pipeline/alertmanager";
import { ruleSettingsOverrideSchema } from "../../components/alert-pipeline/rules";
import { ALARM_PRESETS, ALARM_PRESET_NAMES, AlarmPresetName } from "../../components/alert-pipeline/workload/presets";
import { DESTINATION_TYPES } from "../../components/alert-pipeline/notifier/config";
import { ALERT_SOURCES, SEVERITIES } from "../../components/alert-pipeline/notifier/alert";
import { AMP_REGIONS, AWS_REGIONS, HUB_REGIONS, MANAGED_GRAFANA_REGIONS } from "./regions";
import { didYouMean } from "./suggest";
import { selfHostedHubSchema } from "./self-hosted-schema";
import { DEFAULT_SERVICE_SCRAPE_INTERVAL, SERVICE_SCRAPE_INTERVAL_MAX_SECONDS } from "../../components/workload-collector/scrape-intervals";

export const CONFIG_NAMESPACE = "observability";

export const accountIdSchema = z
  .string({ invalid_type_error: "must be a string: quote the account id in YAML so leading zeros survive" })
  .regex(/^\d{12}$/, "must be a 12-digit AWS account id, quoted");

export const regionSchema = z
  .string()
  .refine((region) => AWS_REGIONS.includes(region), (region) => ({
    message: `"${region}" is not an AWS region code${didYouMean(region, AWS_REGIONS)}; use one such as eu-west-1 (known: ${AWS_REGIONS.join(", ")})`,
  }));

/** The hub's region: AMP and Amazon Managed Grafana must both be offered there. */
export const hubRegionSchema = regionSchema.refine((region) => !AWS_REGIONS.includes(region) || HUB_REGIONS.includes(region), (region) => {
  const missing = [...(AMP_REGIONS.includes(region) ? [] : ["Amazon Managed Service for Prometheus"]), ...(MANAGED_GRAFANA_REGIONS.includes(region) ? [] : ["Amazon Managed Grafana"])];
  return { message: `the hub needs AMP and Managed Grafana in its region, and ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not offered in ${region}; use one of ${HUB_REGIONS.join(", ")}` };
});

export const roleArnSchema = z
  .string()
  .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,64}$/, "must be an IAM role ARN such as arn:aws:iam::123456789012:role/observability-deploy");

/** Short names become parts of IAM role names, AMP aliases and Grafana uids: keep them small and plain. */
export const shortNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,19}$/, "must be 2-20 characters: lower-case letters, digits and '-', starting with a letter");

const oidcProviderArnSchema = z
  .string()
  .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\/[A-F0-9]+$/, "must be the cluster's IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>)");

const oidcIssuerUrlSchema = z
  .string()
  .regex(/^https:\/\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\/[A-F0-9]+$/, "must be the cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<ID>)");

const vpcEndpointSchema = z
  .object({
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id (vpc-...)").describe("VPC of the cluster, where the endpoint is created (private DNS must be allowed there)."),
    subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id (subnet-...)")).min(1, "needs at least one subnet")
      .describe("Subnets that get the endpoint's network interfaces."),
    allowedSecurityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, "must be a security group id (sg-...)")).default([])
      .describe("Security groups admitted on 443 (the cluster security group); this or `allowedCidrs` must admit the collector."),
    allowedCidrs: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR")).default([])
      .describe("CIDRs admitted on 443; this or `allowedSecurityGroupIds` must admit the collector."),
  })
  .strict()
  .refine((v) => v.allowedSecurityGroupIds.length + v.allowedCidrs.length > 0, {
    message: "must admit 443 from the cluster: set allowedSecurityGroupIds (the cluster security group) or allowedCidrs",
  });

const existingClusterSchema = z
  .object({
    name: shortNameSchema.or(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, "must be an EKS cluster name"))
      .describe("Name of the EKS cluster; unique in the account."),
    oidcProviderArn: oidcProviderArnSchema.describe("The cluster's IAM OIDC provider, in the workload account: the collector's IRSA role trusts it."),
    oidcIssuerUrl: oidcIssuerUrlSchema.describe("The cluster's OIDC issuer URL; must match `oidcProviderArn` (`aws eks describe-cluster --query cluster.identity.oidc.issuer`)."),
    subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/)).default([])
      .describe("The cluster's subnets; required by the managed scraper, which runs in the cluster's VPC."),
    securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/)).default([])
      .describe("Security groups of the managed scraper's network interfaces."),
    vpcEndpoint: vpcEndpointSchema.optional()
      .describe("An `aps-workspaces` interface VPC endpoint for remote write; it admits only the account's hub ingest role writing to its own workspace."),
  })
  .strict()
  .describe("an existing cluster");

const cidrSchema = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR");

/**
 * How the deploy runner reaches a created cluster's Kubernetes API: every Helm release and
 * Kubernetes object of the program goes through it.
 */
export const apiEndpointSchema = z.discriminatedUnion("access", [
  z.object({
    access: z.literal("public").describe("`public`: an endpoint reachable from `allowedCidrs` only; `private`: reachable only from inside the VPC, so `pulumi` must run there (self-hosted runner, VPN, peering)."),
    allowedCidrs: z.array(cidrSchema).min(1, "needs the egress CIDRs of the machines that run pulumi (CI runners, operators)")
      .describe("Egress CIDRs of the machines that run `pulumi` (CI runners, operators); `0.0.0.0/0` is refused outside dev."),
  }).strict(),
  z.object({ access: z.literal("private") }).strict(),
], { errorMap: () => ({ message: "must be { access: public, allowedCidrs: [<runner egress CIDRs>] } or { access: private } (pulumi runs inside the VPC)" }) });

const demoClusterSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, "must be an EKS cluster name").describe("Name of the EKS cluster; unique in the account."),
    create: z
      .object({
        instanceType: z.string().default("t3.medium").describe("EC2 instance type of the nodes."),
        desiredCapacity: z.number().int().min(1).max(10).default(2).describe("Number of nodes."),
        apiEndpoint: apiEndpointSchema.default({ access: "public", allowedCidrs: ["0.0.0.0/0"] })
          .describe("How the machines that run `pulumi` reach the cluster's Kubernetes API (the collector's Helm release goes through it). The default is pulumi-eks' own, a public endpoint open to all, refused outside dev."),
      })
      .strict()
      .describe("A small cluster the program creates with `@pulumi/eks`, with access entries for the deploy role, the EBS CSI driver and a default gp3 StorageClass."),
  })
  .strict()
  .describe("a demo cluster");

export const clusterSchema = z.union([existingClusterSchema, demoClusterSchema], {
  errorMap: () => ({
    message:
      "each cluster needs name, oidcProviderArn and oidcIssuerUrl (an existing cluster), or name and create: {...} (a demo cluster)",
  }),
});

const SCRAPE_INTERVAL_SECONDS = { min: 1, max: 120 };

/**
 * How often the collector scrapes. Prometheus reads `0s` as "use the default" (1m), so zero
 * is refused; above 2m the rules' rate() over 5m windows would see fewer than two samples.
 */
export const scrapeIntervalSchema = z
  .string()
  .refine((value) => {
    const seconds = scrapeIntervalSeconds(value);
    return seconds !== undefined && seconds >= SCRAPE_INTERVAL_SECONDS.min && seconds <= SCRAPE_INTERVAL_SECONDS.max;
  }, (value) => ({
    message: `"${value}" is not a usable scrape interval: use a whole number of seconds or minutes from 1s to 2m, such as 30s ` +
      "(0s would silently become Prometheus' 1m default; above 2m the rules' 5m rate() windows see fewer than two samples)",
  }));

/** A scrape interval is one whole number of one unit: `30s` -> 30, `2m` -> 120, `1h` -> 3600; undefined for anything else. */
function scrapeIntervalSeconds(value: string): number | undefined {
  return /^\d+[smh]$/.test(value) ? durationSeconds(value) : undefined;
}

export const collectorSchema = z
  .object({
    mode: z.enum(["prometheus", "managed-scraper"]).default("prometheus")
      .describe("`prometheus`: the community Prometheus chart in each cluster (Helm, IRSA), which installs node-exporter and kube-state-metrics as subcharts; `managed-scraper`: an AMP managed scraper per cluster (existing clusters with `subnetIds` only; see [The managed scraper](#the-managed-scraper))."),
    prometheusMode: z.enum(["agent", "server"]).default("agent")
      .describe("`agent` only forwards; `server` also evaluates local rules."),
    scrapeInterval: scrapeIntervalSchema.default("30s")
      .describe(`How often the collector scrapes: a whole number of seconds or minutes from ${SCRAPE_INTERVAL_SECONDS.min}s to ${SCRAPE_INTERVAL_SECONDS.max / 60}m (\`0s\` would silently become Prometheus' 1m default; above 2m the rules' 5m \`rate()\` windows see fewer than two samples).`),
    serviceScrapeInterval: scrapeIntervalSchema
      .refine((value) => durationSeconds(value) <= SERVICE_SCRAPE_INTERVAL_MAX_SECONDS, (value) => ({
        message: `"${value}" is longer than ${SERVICE_SCRAPE_INTERVAL_MAX_SECONDS}s: the RED panels read services over 4-minute windows and need four samples in each; use ${DEFAULT_SERVICE_SCRAPE_INTERVAL} or less`,
      }))
      .default(DEFAULT_SERVICE_SCRAPE_INTERVAL)
      .describe(`How often the collector scrapes application services (the \`annotated-services\` job), up to ${SERVICE_SCRAPE_INTERVAL_MAX_SECONDS}s: the rules and panels read their RED metrics only through \`rate()\` over windows of 4 minutes or more, so a minute keeps four samples in each and halves what they ship at 30s. Every metric of those services (\`extraMetrics\` included) is scraped at this interval; set it to \`scrapeInterval\` to keep them at the collector's.`),
    replicas: z.number().int().min(1).max(5).default(1)
      .describe("Prometheus pods per cluster (prometheus mode; refused with the managed scraper). From 2 the chart runs a StatefulSet (a claim per pod), a PodDisruptionBudget (`maxUnavailable: 1`, so a node drain evicts one replica at a time) and preferred anti-affinity across nodes; every replica adds `__replica__: ${POD_NAME}` (downward API, `--enable-feature=expand-external-labels`) to the shared `cluster` label, so AMP keeps one replica's samples and strips `__replica__`: rules and dashboards count each series once. Going from 1 to 2 replaces the Deployment and its volume with the StatefulSet (a short gap, once)."),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default("amp-collector")
      .describe("Kubernetes namespace of the collector; the IRSA trust pins exactly this namespace and service account."),
    serviceAccount: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default("amp-collector")
      .describe("Kubernetes service account of the collector (see `namespace`)."),
    extraMetrics: z.array(z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "must be a Prometheus metric name")).default([])
      .describe("Metric names this account ships beyond the shared allow-list."),
  })
  .strict();

const severitySchema = z.enum(["critical", "error", "warning", "info"]).refine((v) => SEVERITIES.includes(v), { message: `must be one of ${SEVERITIES.join(", ")}` });

export const alarmDeclarationSchema = z
  .object({
    preset: z.string().refine((v) => (ALARM_PRESET_NAMES as string[]).includes(v), {
      message: `must be a known alarm preset: ${ALARM_PRESET_NAMES.join(", ")}`,
    }).transform((v) => v as AlarmPresetName)
      .describe(`The alarm preset (metric, statistic, windows, default threshold and severity): ${ALARM_PRESET_NAMES.map((name) => `\`${name}\``).join(", ")}.`),
    resource: z.string().min(1).max(200)
      .describe(`What the alarm watches, per preset: ${ALARM_PRESET_NAMES.map((name) => `${ALARM_PRESETS[name].resourceKind} (\`${name}\`)`).join(", ")}.`),
    threshold: z.number().optional().describe("Threshold in the preset's unit; default the preset's."),
    severity: severitySchema.optional().describe("Severity of the alarm's alerts; default the preset's."),
  })
  .strict();

export const workloadAccountSchema = z
  .object({
    name: shortNameSchema.describe("Short name of the account; unique. Its stacks are `<env>-<name>` (workload) and `<env>-hub-<name>` (hub side), so `query` and `hub-*` are refused; it is part of role names, the AMP alias and Grafana uids."),
    accountId: accountIdSchema.describe("Account id, quoted; never the hub account; unique."),
    deployRoleArn: roleArnSchema.describe("Role the account's workload stack deploys through; must be in that account."),
    team: shortNameSchema.describe("Default team of the account's alerts, for routing."),
    clusters: z.array(clusterSchema).min(1, "needs at least one EKS cluster to collect from")
      .describe("The EKS clusters to collect from: an existing cluster (`name`, `oidcProviderArn`, `oidcIssuerUrl`) or a demo cluster the program creates (`name`, `create`)."),
    collector: collectorSchema.default({}).describe("How the account's clusters are scraped and shipped to its AMP workspace."),
    alarms: z.array(alarmDeclarationSchema).default([])
      .describe("CloudWatch alarms from the preset catalog, forwarded to the hub's alert bus."),
    rules: ruleSettingsOverrideSchema.default({}),
  })
  .strict();

const destinationNameSchema = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, "must be 2-40 characters: lower-case letters, digits and '-'");

export const alertDestinationSchema = z
  .object({
    name: destinationNameSchema.describe("Name of the destination; unique, named by routes and in its secret's default name."),
    type: z.enum(DESTINATION_TYPES as unknown as [string, ...string[]])
      .describe("Kind of destination; the JSON its secret holds is described in `components/alert-pipeline/notifier/destinations/`."),
    secretName: z.string().regex(/^[\w/+=.@-]{1,512}$/, "must be a Secrets Manager secret name").optional()
      .describe("Secrets Manager secret with the destination's credentials, created empty: an operator sets its value after the first `pulumi up`. Default `observability/<env>/alerting/<name>`."),
    jira: z.object({
      projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, "must be a Jira project key such as OPS").describe("Jira project the issues are created in."),
      issueType: z.string().min(1).describe("Issue type of the created issues (`Incident`, `Task`, ...)."),
    }).strict().optional()
      .describe("Where a `type: jira` destination creates issues: required for Jira, refused for the other types."),
  })
  .strict();

export const alertRouteSchema = z
  .object({
    destination: destinationNameSchema.describe("The destination this route feeds; one route per destination."),
    teams: z.array(z.string().min(1)).min(1).optional()
      .describe("Only alerts of these teams (each a team some account or its rules label alerts with)."),
    severities: z.array(severitySchema).min(1).optional().describe("Only alerts of these severities."),
    sources: z.array(z.enum(ALERT_SOURCES as unknown as [string, ...string[]])).min(1).optional()
      .describe("Only alerts from these sources: `amp` (AMP rules) or `cloudwatch` (forwarded CloudWatch alarms)."),
  })
  .strict();

export const alertingSchema = z
  .object({
    destinations: z.array(alertDestinationSchema).min(1, "needs at least one destination, or alerts reach nobody")
      .describe("Where alerts go. Credentials live in Secrets Manager, never in config."),
    routes: z.array(alertRouteSchema).default([])
      .describe("Which alerts each destination receives: every list a route gives must contain the alert's value, and a destination without a route receives every alert. Every team and severity the accounts' rules and alarms can raise must reach a destination: a gap is refused, naming the team and the severities left without one (the notifier would dead-letter them as unrouted)."),
    alertmanager: alertmanagerOverrideSchema.default({}),
    pipelineHealthEmails: z.array(z.string().email("must be an email address")).min(1, "needs at least one address: someone must hear when the notifier itself fails")
      .describe("Addresses told by email, through a topic that bypasses the notifier, when the notifier fails or alerts are dead-lettered; each recipient confirms the subscription once."),
    notifier: z
      .object({
        memoryMb: z.number().int().min(128).max(10240).default(256).describe("Memory of the notifier Lambda, in MB."),
        timeoutSeconds: z.number().int().min(10).max(900).default(60).describe("Timeout of one notifier invocation, in seconds: the time budget of its deliveries and retries."),
        maximumRetryAttempts: z.number().int().min(0).max(2).default(2)
          .describe("Lambda's own retries of a failed invocation before the event goes to the dead-letter queue."),
        logRetentionDays: z.number().int().default(30).describe("Days the notifier's log group keeps its logs."),
        logLevel: z.enum(["debug", "info", "warn", "error"]).default("info").describe("Lowest level the notifier logs (passed to Lambda's log filter too)."),
      })
      .strict()
      .default({})
      .describe("The notifier Lambda that delivers alerts to the destinations."),
  })
  .strict();

const code = (values: readonly string[]) => values.map((value) => `\`${value}\``).join(", ");

export const hubSchema = z
  .object({
    accountId: accountIdSchema.describe("The hub account id, quoted."),
    region: hubRegionSchema.describe(`Region of the hub (AMP, Grafana); every workload cluster sends to it. An AWS region code (partitions \`aws\`, \`aws-cn\`, \`aws-us-gov\`) where both AMP and Amazon Managed Grafana are offered: ${code(HUB_REGIONS)} (\`stacks/config/regions.ts\`, from the AWS SDK endpoint model).`),
    deployRoleArn: roleArnSchema.describe("Role the hub stack deploys through; must be in the hub account."),
    organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, "must be an AWS Organizations id (o-...)").optional()
      .describe("The AWS Organizations id. When set, cross-account trust and the alert bus are pinned to the organisation and keep one size at any number of accounts; without it the Grafana role and the bus policy list every account, and an organisation whose documents would outgrow AWS's size quotas is refused. Required with `backend: self-hosted`: the hub key admits the organisation's collector roles and the CloudWatch exporter assumes the read role in its accounts, so adding an account changes nothing in the shared hub stack."),
    amp: z
      .object({
        retentionDays: z.number().int().min(1).max(1095).default(150).describe("How long AMP keeps samples, in days."),
        customerManagedKey: z.boolean().default(false)
          .describe("Encrypt the workspaces with a KMS key whose policy delegates use through AMP to IAM; the ingest, Grafana and Promxy roles get `kms:Decrypt`/`kms:GenerateDataKey` through AMP only."),
        logging: z.boolean().default(true).describe("AMP logging to `/aws/vendedlogs/prometheus/<env>-<account>`."),
      })
      .strict()
      .default({})
      .describe("The Amazon Managed Service for Prometheus workspaces, one per workload account."),
    backend: z.enum(["managed", "self-hosted"]).default("managed")
      .describe("`managed`: AMP workspaces and Amazon Managed Grafana; `self-hosted`: a central Prometheus, Alertmanager and Grafana on ECS Fargate with EFS, configured by `hub.selfHosted` (components/self-hosted-hub/README.md says when to choose which)."),
    selfHosted: selfHostedHubSchema.optional()
      .describe("The self-hosted backend's network, load balancer, login and sizing; required with `backend: self-hosted`."),
  })
  .strict();

export const grafanaSchema = z
  .object({
    version: z.enum(["9.4", "10.4"]).default("10.4").describe("Amazon Managed Grafana version (the dashboards target 10.4)."),
    sso: z
      .object({
        adminGroupIds: z.array(z.string().min(1)).min(1, "needs at least one Identity Center group that administers Grafana")
          .describe("IAM Identity Center groups with the Grafana Admin role."),
        editorGroupIds: z.array(z.string().min(1)).default([]).describe("IAM Identity Center groups with the Editor role."),
        viewerGroupIds: z.array(z.string().min(1)).default([]).describe("IAM Identity Center groups with the Viewer role."),
      })
      .strict()
      .describe("Who logs in: Grafana accepts IAM Identity Center (SSO) logins only, so Identity Center must be enabled in the organisation."),
    tokenTtlDays: z.number().int().min(2, "must be at least 2 days: the token is rotated every half lifetime").max(30, "AMG service account tokens live at most 30 days").default(30)
      .describe("Lifetime in days of the service account token the Grafana provider uses; the first `pulumi up` of each half-lifetime window replaces it (`grafanaTokenRotatesAt` output)."),
  })
  .strict();

const eksClusterNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, "must be an EKS cluster name");
const vpcIdSchema = z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id (vpc-...)");

export const unifiedQuerySchema = z
  .object({
    cluster: z.discriminatedUnion("kind", [
      z.object({
        kind: z.literal("existing")
          .describe("`existing`: a cluster of the hub account, reached through the hub's deploy role; `create`: a cluster the program creates with `@pulumi/eks`."),
        name: eksClusterNameSchema.describe("Name of the EKS cluster."),
        vpcId: vpcIdSchema.describe("VPC of the cluster; Grafana gets its network interfaces there when Promxy is internal."),
        oidcProviderArn: oidcProviderArnSchema.describe("The cluster's IAM OIDC provider: Promxy's and the Load Balancer Controller's IRSA roles trust it."),
        oidcIssuerUrl: oidcIssuerUrlSchema.describe("The cluster's OIDC issuer URL."),
      }).strict(),
      z.object({
        kind: z.literal("create"),
        name: eksClusterNameSchema.describe("Name of the EKS cluster."),
        vpcId: vpcIdSchema.describe("VPC of the cluster; Grafana gets its network interfaces there when Promxy is internal."),
        privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/)).min(2, "needs private subnets in at least two zones")
          .describe("Private subnets of the cluster, in two or more zones."),
        instanceType: z.string().default("t3.medium").describe("EC2 instance type of the nodes."),
        nodeCount: z.number().int().min(1).max(10).default(2).describe("Number of nodes."),
        apiEndpoint: apiEndpointSchema
          .describe("How the machines that run `pulumi` reach the cluster's Kubernetes API (every Helm release and Kubernetes object of Promxy goes through it). Required: there is no default the deploy runner is sure to reach."),
      }).strict(),
    ], { errorMap: () => ({ message: "cluster.kind must be existing (name, vpcId, oidcProviderArn, oidcIssuerUrl) or create (name, vpcId, privateSubnetIds)" }) })
      .describe("The EKS cluster in the hub account that runs Promxy."),
    highAvailability: z.boolean().default(true)
      .describe("Production-like: two or more Promxy replicas spread over nodes, with disruption budgets."),
    replicas: z.number().int().min(1).max(10).optional()
      .describe("Promxy replicas; default 2 with `highAvailability`, else 1 (at least 2 with `highAvailability`)."),
    sigv4Mode: z.enum(["native", "sidecar"]).default("native")
      .describe("How Promxy signs its AMP queries: `native` (Promxy's own SigV4 client) or `sidecar` (a signing proxy container beside it)."),
    exposure: z
      .object({
        internal: z.boolean().default(true)
          .describe("An internal ALB, reachable from the VPC only (Grafana then needs `grafanaSubnetIds`); `false` makes it internet-facing."),
        certificateArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, "must be an ACM certificate ARN").optional()
          .describe("ACM certificate, in the hub account and region, of the HTTPS listener: basic-auth credentials never cross the ALB in clear. Required outside dev (plain HTTP only in dev)."),
        hostname: z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a DNS name such as promxy.observability.example.com").optional()
          .describe("DNS name the certificate is for, required with `certificateArn`; point it (CNAME/alias) at the ALB the Load Balancer Controller creates."),
        allowedCidrs: z.array(cidrSchema).optional().describe("Source CIDRs the ALB accepts; default the load balancer's own (any source its scheme allows)."),
      })
      .strict()
      .default({})
      .describe("How Promxy is reached: an ALB (AWS Load Balancer Controller) in front of ingress-nginx basic authentication."),
    grafanaSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id (subnet-...)"))
      .min(2, "Managed Grafana needs subnets in at least two availability zones").max(6, "Managed Grafana accepts at most 6 subnets").optional()
      .describe("Private subnets (two or more zones) of Promxy's VPC where Grafana gets its network interfaces, so it can reach an internal endpoint; default the created cluster's `privateSubnetIds`, required for an internal endpoint on an existing cluster. Grafana then reaches AWS through that VPC: it needs a NAT gateway or interface endpoints for `aps-workspaces`, `monitoring`, `logs` and `sts` there."),
  })
  .strict();

export const environmentSchema = z.string().regex(/^[a-z][a-z0-9]{1,9}$/, "must be 2-10 lower-case letters or digits, such as dev or prod");

/** The hub stack's config, read from `observability:*` keys. */
export const hubStackConfigSchema = z.object({
  environment: environmentSchema
    .describe("The environment (`dev`, `prod`, ...), part of every name; must equal the hub stack's name (`Pulumi.dev.yaml` says `environment: dev`)."),
  hub: hubSchema.describe("The hub (observability) account."),
  grafana: grafanaSchema.describe("Amazon Managed Grafana: one folder and data sources per account, dashboards as code."),
  unifiedQuery: unifiedQuerySchema.optional()
    .describe("Promxy in the hub: one query endpoint over every workspace, each series labelled with its `account`, behind basic auth, with an \"All accounts\" Grafana data source. Off when absent (on in prod)."),
  alerting: alertingSchema.describe("The alert pipeline: AMP rules and forwarded CloudWatch alarms to Slack, PagerDuty, Jira and webhooks."),
  workloads: z.array(workloadAccountSchema).min(1, "needs at least one workload account")
    .describe("The workload accounts: each gets its hub stack (AMP workspace, ingest role, rules, Grafana folder and data sources) and its own workload stack."),
});

/** A workload stack's own config: which hub to read and which account it is. */
export const workloadStackConfigSchema = z.object({
  hubStack: z
    .string()
    .regex(/^([\w.-]+\/){0,2}[\w.-]+$/, "must be a stack name: <stack>, <project>/<stack> or <org>/<project>/<stack>")
    .describe("The hub stack to read the account's settings from (`org/project/stack`)."),
  accountName: shortNameSchema.describe("Which account this stack is for; a workload stack must be named `<env>-<accountName>`, an account's hub stack `<env>-hub-<accountName>`."),
  deployRoleArn: roleArnSchema.optional()
    .describe("Override of the account's deploy role (e.g. a CI role); must be in the same account."),
  hubPart: z.enum(["account", "query"]).optional()
    .describe("Only on the hub's own stacks, which the deployment driver creates: `account` for an account's hub stack `<env>-hub-<accountName>` (the driver also sets `observability:account`, the account's entry of `workloads`), `query` for `<env>-query` (Promxy and the cross-account views; its accountName is `query`). Absent on workload stacks."),
});

/**
 * An account's hub stack (`observability:hubPart: account`): the workload stack's keys and
 * the account's own entry of the organisation model, which the driver sets from
 * `Pulumi.<env>.yaml`, so no stack reads the entries of every account.
 */
export const hubAccountStackConfigSchema = workloadStackConfigSchema.extend({
  account: workloadAccountSchema.describe("The account's entry of the organisation model's `workloads`, as in `Pulumi.<env>.yaml`."),
});

export type HubStackConfig = z.infer<typeof hubStackConfigSchema>;
export type HubAccountStackConfig = z.infer<typeof hubAccountStackConfigSchema>;
export type WorkloadAccountConfig = z.infer<typeof workloadAccountSchema>;
export type ClusterConfig = z.infer<typeof clusterSchema>;
export type ExistingClusterConfig = z.infer<typeof existingClusterSchema>;
export type CollectorConfig = z.infer<typeof collectorSchema>;
export type UnifiedQueryConfig = z.infer<typeof unifiedQuerySchema>;
export type GrafanaConfig = z.infer<typeof grafanaSchema>;
export type HubConfig = z.infer<typeof hubSchema>;
export type WorkloadStackConfig = z.infer<typeof workloadStackConfigSchema>;
export type AlertingConfig = z.infer<typeof alertingSchema>;
export type AlarmDeclarationConfig = z.infer<typeof alarmDeclarationSchema>;

export function isDemoCluster(cluster: ClusterConfig): cluster is Extract<ClusterConfig, { create: unknown }> {
  return "create" in cluster;
}
