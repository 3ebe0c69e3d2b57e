/**
 * The organisation model: what `Pulumi.<env>.yaml` (the hub stack of an environment) and
 * a workload stack file may say. Shapes and formats live here; rules that relate several
 * values (duplicates, accounts that must match) live in `validate.ts`.
 */
import { z } from "zod";
import { alertmanagerOverrideSchema } from "../../components/alert-pipeline/alertmanager";
import { ruleSettingsOverrideSchema } from "../../components/alert-pipeline/rules";
import { ALARM_PRESET_NAMES, AlarmPresetName } from "../../components/alert-pipeline/workload/presets";
import { DESTINATION_TYPES } from "../../components/alert-pipeline/notifier/config";
import { ALERT_SOURCES, SEVERITIES } from "../../components/alert-pipeline/notifier/alert";
import { AMP_REGIONS, AWS_REGIONS, HUB_REGIONS, MANAGED_GRAFANA_REGIONS } from "./regions";
import { didYouMean } from "./suggest";

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
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id (vpc-...)"),
    subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id (subnet-...)")).min(1, "needs at least one subnet"),
    allowedSecurityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, "must be a security group id (sg-...)")).default([]),
    allowedCidrs: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR")).default([]),
  })
  .strict()
  .refine((v) => v.allowedSecurityGroupIds.length + v.allowedCidrs.length > 0, {
    message: "must admit 443 from the cluster: set allowedSecurityGroupIds (the cluster security group) or allowedCidrs",
  });

/** An existing EKS cluster the collector scrapes. */
const existingClusterSchema = z
  .object({
    name: shortNameSchema.or(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, "must be an EKS cluster name")),
    oidcProviderArn: oidcProviderArnSchema,
    oidcIssuerUrl: oidcIssuerUrlSchema,
    /** Needed by the managed scraper (it runs in the cluster's VPC). */
    subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/)).default([]),
    securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/)).default([]),
    vpcEndpoint: vpcEndpointSchema.optional(),
  })
  .strict();

const cidrSchema = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR");

/**
 * How the deploy runner reaches a created cluster's Kubernetes API: every Helm release and
 * Kubernetes object of the program goes through it.
 */
export const apiEndpointSchema = z.discriminatedUnion("access", [
  z.object({
    access: z.literal("public"),
    /** The deploy runners' egress CIDRs (0.0.0.0/0 only in dev). */
    allowedCidrs: z.array(cidrSchema).min(1, "needs the egress CIDRs of the machines that run pulumi (CI runners, operators)"),
  }).strict(),
  /** Only from inside the VPC: pulumi must run there (self-hosted runner, VPN, peering). */
  z.object({ access: z.literal("private") }).strict(),
], { errorMap: () => ({ message: "must be { access: public, allowedCidrs: [<runner egress CIDRs>] } or { access: private } (pulumi runs inside the VPC)" }) });

/** A small cluster created for a demo account with @pulumi/eks. */
const demoClusterSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, "must be an EKS cluster name"),
    create: z
      .object({
        instanceType: z.string().default("t3.medium"),
        desiredCapacity: z.number().int().min(1).max(10).default(2),
        /** pulumi-eks' own default: a public endpoint open to all (refused outside dev). */
        apiEndpoint: apiEndpointSchema.default({ access: "public", allowedCidrs: ["0.0.0.0/0"] }),
      })
      .strict(),
  })
  .strict();

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
    const seconds = durationSeconds(value);
    return seconds !== undefined && seconds >= SCRAPE_INTERVAL_SECONDS.min && seconds <= SCRAPE_INTERVAL_SECONDS.max;
  }, (value) => ({
    message: `"${value}" is not a usable scrape interval: use a whole number of seconds or minutes from 1s to 2m, such as 30s ` +
      "(0s would silently become Prometheus' 1m default; above 2m the rules' 5m rate() windows see fewer than two samples)",
  }));

/** `30s` -> 30, `2m` -> 120, `1h` -> 3600; undefined for anything else. */
export function durationSeconds(value: string): number | undefined {
  const match = /^(\d+)([smh])$/.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"];
}

export const collectorSchema = z
  .object({
    mode: z.enum(["prometheus", "managed-scraper"]).default("prometheus"),
    /** Prometheus in agent mode only forwards; server mode also evaluates local rules. */
    prometheusMode: z.enum(["agent", "server"]).default("agent"),
    scrapeInterval: scrapeIntervalSchema.default("30s"),
    /**
     * Prometheus pods per cluster (prometheus mode). 2 or more run an HA group: the chart's
     * StatefulSet with a PodDisruptionBudget and anti-affinity, each replica labelled
     * `__replica__` so AMP keeps one stream. 1 (the default) is a single Deployment pod.
     */
    replicas: z.number().int().min(1).max(5).default(1),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default("amp-collector"),
    serviceAccount: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default("amp-collector"),
    /** Extra metric names this account ships beyond the shared allow-list. */
    extraMetrics: z.array(z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "must be a Prometheus metric name")).default([]),
  })
  .strict();

const severitySchema = z.enum(["critical", "error", "warning", "info"]).refine((v) => SEVERITIES.includes(v), { message: `must be one of ${SEVERITIES.join(", ")}` });

/** One CloudWatch alarm of a workload account, from the preset catalog. */
export const alarmDeclarationSchema = z
  .object({
    preset: z.string().refine((v) => (ALARM_PRESET_NAMES as string[]).includes(v), {
      message: `must be a known alarm preset: ${ALARM_PRESET_NAMES.join(", ")}`,
    }).transform((v) => v as AlarmPresetName),
    /** Queue name, function name, DB instance id, table name or load balancer ARN suffix. */
    resource: z.string().min(1).max(200),
    threshold: z.number().optional(),
    severity: severitySchema.optional(),
  })
  .strict();

export const workloadAccountSchema = z
  .object({
    name: shortNameSchema,
    accountId: accountIdSchema,
    deployRoleArn: roleArnSchema,
    /** Default routing team for this account's alerts. */
    team: shortNameSchema,
    clusters: z.array(clusterSchema).min(1, "needs at least one EKS cluster to collect from"),
    collector: collectorSchema.default({}),
    /** CloudWatch alarms from the preset catalog, forwarded to the hub's alert bus. */
    alarms: z.array(alarmDeclarationSchema).default([]),
    /** Overrides of the alerting rules for this account's workspace (disable a group, change a threshold). */
    rules: ruleSettingsOverrideSchema.default({}),
  })
  .strict();

const destinationNameSchema = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, "must be 2-40 characters: lower-case letters, digits and '-'");

/** Where alerts go. Credentials live in Secrets Manager, never in config. */
export const alertDestinationSchema = z
  .object({
    name: destinationNameSchema,
    type: z.enum(DESTINATION_TYPES as unknown as [string, ...string[]]),
    /** Defaults to observability/<env>/alerting/<name>. */
    secretName: z.string().regex(/^[\w/+=.@-]{1,512}$/, "must be a Secrets Manager secret name").optional(),
    jira: z.object({ projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, "must be a Jira project key such as OPS"), issueType: z.string().min(1) }).strict().optional(),
  })
  .strict();

/** Which alerts a destination receives; every list given must contain the alert's value. */
export const alertRouteSchema = z
  .object({
    destination: destinationNameSchema,
    teams: z.array(z.string().min(1)).min(1).optional(),
    severities: z.array(severitySchema).min(1).optional(),
    sources: z.array(z.enum(ALERT_SOURCES as unknown as [string, ...string[]])).min(1).optional(),
  })
  .strict();

export const alertingSchema = z
  .object({
    destinations: z.array(alertDestinationSchema).min(1, "needs at least one destination, or alerts reach nobody"),
    /** A destination without a route receives every alert. */
    routes: z.array(alertRouteSchema).default([]),
    /** Told by email (via a topic that bypasses the notifier) when the notifier fails or alerts are dead-lettered. */
    /** Routing and timing of every workspace's alertmanager (teams default to the teams the rules use). */
    alertmanager: alertmanagerOverrideSchema.default({}),
    pipelineHealthEmails: z.array(z.string().email("must be an email address")).min(1, "needs at least one address: someone must hear when the notifier itself fails"),
    notifier: z
      .object({
        memoryMb: z.number().int().min(128).max(10240).default(256),
        timeoutSeconds: z.number().int().min(10).max(900).default(60),
        maximumRetryAttempts: z.number().int().min(0).max(2).default(2),
        logRetentionDays: z.number().int().default(30),
        logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
      })
      .strict()
      .default({}),
  })
  .strict();

export const hubSchema = z
  .object({
    accountId: accountIdSchema,
    region: hubRegionSchema,
    deployRoleArn: roleArnSchema,
    /** When set, cross-account trust and the alert bus may be pinned to the organisation. */
    organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, "must be an AWS Organizations id (o-...)").optional(),
    amp: z
      .object({
        retentionDays: z.number().int().min(1).max(1095).default(150),
        customerManagedKey: z.boolean().default(false),
        logging: z.boolean().default(true),
      })
      .strict()
      .default({}),
  })
  .strict();

export const grafanaSchema = z
  .object({
    version: z.enum(["9.4", "10.4"]).default("10.4"),
    sso: z
      .object({
        adminGroupIds: z.array(z.string().min(1)).min(1, "needs at least one Identity Center group that administers Grafana"),
        editorGroupIds: z.array(z.string().min(1)).default([]),
        viewerGroupIds: z.array(z.string().min(1)).default([]),
      })
      .strict(),
    /** Service account token lifetime; the first run of each half-lifetime window replaces the token. */
    tokenTtlDays: z.number().int().min(2, "must be at least 2 days: the token is rotated every half lifetime").max(30, "AMG service account tokens live at most 30 days").default(30),
  })
  .strict();

/** Promxy in the hub: one query endpoint over every workspace (optional; on in prod). */
export const unifiedQuerySchema = z
  .object({
    cluster: z.discriminatedUnion("kind", [
      z.object({
        kind: z.literal("existing"),
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, "must be an EKS cluster name"),
        vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id (vpc-...)"),
        oidcProviderArn: oidcProviderArnSchema,
        oidcIssuerUrl: oidcIssuerUrlSchema,
      }).strict(),
      z.object({
        kind: z.literal("create"),
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, "must be an EKS cluster name"),
        vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id (vpc-...)"),
        privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/)).min(2, "needs private subnets in at least two zones"),
        instanceType: z.string().default("t3.medium"),
        nodeCount: z.number().int().min(1).max(10).default(2),
        /** Required: there is no default the deploy runner is sure to reach. */
        apiEndpoint: apiEndpointSchema,
      }).strict(),
    ], { errorMap: () => ({ message: "cluster.kind must be existing (name, vpcId, oidcProviderArn, oidcIssuerUrl) or create (name, vpcId, privateSubnetIds)" }) }),
    /** Two or more replicas with a disruption budget. */
    highAvailability: z.boolean().default(true),
    replicas: z.number().int().min(1).max(10).optional(),
    sigv4Mode: z.enum(["native", "sidecar"]).default("native"),
    exposure: z
      .object({
        internal: z.boolean().default(true),
        /** ACM certificate of the HTTPS listener: basic-auth credentials never cross the ALB in clear (required outside dev). */
        certificateArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, "must be an ACM certificate ARN").optional(),
        /** DNS name the certificate is for; point it (CNAME/alias) at the ALB. */
        hostname: z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a DNS name such as promxy.observability.example.com").optional(),
        allowedCidrs: z.array(cidrSchema).optional(),
      })
      .strict()
      .default({}),
    /**
     * Private subnets (two or more zones) of the Promxy VPC where Grafana gets its network
     * interfaces, so it can reach an internal endpoint. Default: the created cluster's subnets.
     */
    grafanaSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id (subnet-...)"))
      .min(2, "Managed Grafana needs subnets in at least two availability zones").max(6, "Managed Grafana accepts at most 6 subnets").optional(),
  })
  .strict();

export const environmentSchema = z.string().regex(/^[a-z][a-z0-9]{1,9}$/, "must be 2-10 lower-case letters or digits, such as dev or prod");

/** The hub stack's config, read from `observability:*` keys. */
export const hubStackConfigSchema = z.object({
  environment: environmentSchema,
  hub: hubSchema,
  grafana: grafanaSchema,
  unifiedQuery: unifiedQuerySchema.optional(),
  alerting: alertingSchema,
  workloads: z.array(workloadAccountSchema).min(1, "needs at least one workload account"),
});

/** A workload stack's own config: which hub to read and which account it is. */
export const workloadStackConfigSchema = z.object({
  hubStack: z
    .string()
    .regex(/^([\w.-]+\/){0,2}[\w.-]+$/, "must be a stack name: <stack>, <project>/<stack> or <org>/<project>/<stack>"),
  accountName: shortNameSchema,
  /** Optional override of the deploy role (e.g. a CI role); must live in the same account. */
  deployRoleArn: roleArnSchema.optional(),
});

export type HubStackConfig = z.infer<typeof hubStackConfigSchema>;
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
