/**
 * WorkloadAccountCollector: the workload account side. A collector role (IRSA for
 * Prometheus, or the managed scraper's source role) whose only power is to assume its hub
 * ingest role; per cluster either Prometheus from the community chart or an AMP managed
 * scraper; an optional `aps-workspaces` VPC endpoint; and the CloudWatch read role that
 * only the hub's Grafana role may assume.
 *
 * With a self-hosted hub (`hub.backend: "self-hosted"`) the same Prometheus, scrape jobs,
 * allow-list, series cuts and external labels write to each of the hub's servers with the
 * account's bearer token instead: the collector role's only power is to read that token
 * (hub-credentials.ts), and the CloudWatch read role trusts the hub's CloudWatch exporter.
 * The AMP-only pieces (ingest role, managed scraper, `aps-workspaces` endpoint) are refused.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, policyDocument, policyJson } from "../iam/policy-document";
import {
  allowAssumeRoles,
  allowCloudWatchReadForGrafana,
  allowReadIngestCredential,
  trustExactRole,
  trustServiceAccount,
  trustServiceForAccount,
} from "../iam/statements";
import { partitionOf } from "../shared/arns";
import { cloudWatchReadRoleName, collectorRoleName } from "../shared/naming";
import {
  awsAuthRoleArn,
  KUBE_STATE_METRICS_CHART,
  kubeStateMetricsValues,
  NODE_EXPORTER_CHART,
  nodeExporterValues,
  SCRAPER_CLUSTER_ROLE,
  SCRAPER_CLUSTER_ROLE_BINDING,
  SCRAPER_K8S_USER,
  scraperAccessMethod,
  scraperClusterRoleRules,
  ScraperAccessMethod,
} from "./exporters";
import { collectorHelmValues, isHighlyAvailable, PROMETHEUS_CHART, REPLICA_EXTERNAL_LABEL_VALUE } from "./helm-values";
import { HUB_INGEST_TOKEN_FILE, HubCredentialsSource } from "./hub-credentials";
import { RemoteWriteTarget, renderCollectorPrometheusConfig, SelfHostedRemoteWriteTargets } from "./prometheus-config";
import { renderScraperConfig } from "./scraper-config";
import { COLLECTOR_SERIES_CUTS, SeriesCut } from "./series-cuts";
import { AmpVpcEndpoint } from "./vpc-endpoint";

export interface CollectorCluster {
  name: string;
  oidcProviderArn: pulumi.Input<string>;
  oidcIssuerUrl: pulumi.Input<string>;
  /** Where the chart (prometheus mode) or the exporters and scraper RBAC (managed-scraper mode) are installed. */
  kubernetesProvider?: k8s.Provider;
  /** Managed-scraper mode: the cluster's `accessConfig.authenticationMode`, read at deploy time. */
  authenticationMode?: string;
  /** Managed-scraper mode: the cluster and the subnets the scraper reaches it from. */
  clusterArn?: pulumi.Input<string>;
  subnetIds?: string[];
  securityGroupIds?: string[];
  vpcEndpoint?: { vpcId: string; subnetIds: string[]; allowedSecurityGroupIds: string[]; allowedCidrs: string[] };
}

/** An AMP hub: the account's workspace, the ingest role to assume, Grafana's role. */
export interface HubTarget {
  backend?: "amp";
  region: string;
  workspaceArn: pulumi.Input<string>;
  remoteWriteUrl: pulumi.Input<string>;
  ingestRoleArn: pulumi.Input<string>;
  grafanaRoleArn: pulumi.Input<string>;
}

/** A self-hosted hub (components/self-hosted-hub): its servers' URLs and the account's ingest secret. */
export interface SelfHostedHubTarget {
  backend: "self-hosted";
  region: string;
  /** One per independent Prometheus server of the hub; the collector writes every sample to each. */
  remoteWriteUrls: string[];
  /** Full ARN of the account's ingest secret in the hub account. */
  ingestSecretArn: pulumi.Input<string>;
  /** The key that secret is encrypted with. */
  ingestSecretKeyArn: pulumi.Input<string>;
  /** JSON field of the secret holding the token. */
  tokenField: string;
  /** The hub role that reads this account's CloudWatch (the self-hosted hub's CloudWatch exporter). */
  cloudWatchReaderRoleArn: pulumi.Input<string>;
}

export function isSelfHostedHub(hub: HubTarget | SelfHostedHubTarget): hub is SelfHostedHubTarget {
  return hub.backend === "self-hosted";
}

export interface CollectorSettings {
  mode: "prometheus" | "managed-scraper";
  prometheusMode: "agent" | "server";
  scrapeInterval: string;
  /** The application services' scrape job's interval (scrape-intervals.ts); the collector's when absent. */
  serviceScrapeInterval?: string;
  /** Prometheus pods per cluster; more than one is an HA group AMP deduplicates (default 1). */
  replicas?: number;
  namespace: string;
  serviceAccount: string;
}

export interface WorkloadAccountCollectorArgs {
  environment: string;
  accountName: string;
  accountId: string;
  hub: HubTarget | SelfHostedHubTarget;
  collector: CollectorSettings;
  metricAllowlist: readonly string[];
  /** Unread series of allow-listed metrics, dropped at the edge; COLLECTOR_SERIES_CUTS unless given. */
  seriesCuts?: readonly SeriesCut[];
  clusters: CollectorCluster[];
  tags?: Record<string, string>;
}

function statementSid(prefix: string, clusterName: string): string {
  return prefix + clusterName.replace(/[^A-Za-z0-9]/g, "");
}

export class WorkloadAccountCollector extends pulumi.ComponentResource {
  readonly collectorRoleArn: pulumi.Output<string>;
  readonly cloudWatchReadRoleArn: pulumi.Output<string>;
  /** Per cluster: the rendered collector configuration, exactly as deployed. */
  readonly renderedConfigs: Record<string, pulumi.Output<string>> = {};
  /**
   * Managed-scraper mode, per cluster: how the scraper gets into the cluster, and for
   * `aws-auth` the role ARN an operator maps to `aps-collector-user` in aws-auth.
   */
  readonly scraperAccess: Record<string, { authenticationMode: string; method: ScraperAccessMethod; awsAuthRoleArn?: pulumi.Output<string> }> = {};

  constructor(name: string, args: WorkloadAccountCollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:WorkloadAccountCollector", name, {}, opts);
    const child = { parent: this };
    const tags = { ...args.tags, "observability:environment": args.environment, "observability:account": args.accountName };
    const region = args.hub.region;
    const hub = args.hub;
    // The pieces that differ by hub; `amp` is set only for an AMP hub.
    const amp = isSelfHostedHub(hub) ? undefined : hub;
    if (isSelfHostedHub(hub)) refuseAmpOnlyPieces(name, args);
    const toHub = isSelfHostedHub(hub) ? selfHostedHubWiring(args.accountName, hub) : ampHubWiring(args.accountName, hub);

    const trust = args.collector.mode === "prometheus"
      ? pulumi.all(args.clusters.map((c) => pulumi.all([c.oidcProviderArn, c.oidcIssuerUrl]).apply(([oidcProviderArn, oidcIssuerUrl]) =>
          trustServiceAccount({ oidcProviderArn, oidcIssuerUrl, namespace: args.collector.namespace, serviceAccount: args.collector.serviceAccount },
            statementSid("TrustCollectorOf", c.name)))))
      : pulumi.output<PolicyStatement[]>([trustServiceForAccount("scraper.aps.amazonaws.com", args.accountId,
          `arn:${partitionOf(region)}:aps:${region}:${args.accountId}:scraper/*`)]);

    const collectorRole = new aws.iam.Role(`${name}-collector`, {
      name: collectorRoleName(args.environment, args.accountName),
      description: toHub.collectorRoleDescription,
      assumeRolePolicy: trust.apply((statements) => policyJson(policyDocument(...statements))),
      tags,
    }, child);
    new aws.iam.RolePolicy(`${name}-${toHub.collectorPolicyName}`, { role: collectorRole.name, policy: toHub.collectorPolicy }, child);
    const remoteWrite = toHub.remoteWrite(region);

    for (const cluster of args.clusters) {
      const clusterName = `${name}-${cluster.name}`;
      const settings = remoteWrite.apply((target) => ({
        accountName: args.accountName,
        clusterName: cluster.name,
        environment: args.environment,
        scrapeInterval: args.collector.scrapeInterval,
        serviceScrapeInterval: args.collector.serviceScrapeInterval,
        remoteWrite: target,
        metricAllowlist: args.metricAllowlist,
        seriesCuts: args.seriesCuts ?? COLLECTOR_SERIES_CUTS,
      }));

      if (args.collector.mode === "prometheus") {
        if (!cluster.kubernetesProvider) {
          throw new Error(`WorkloadAccountCollector ${name}: cluster ${cluster.name} needs a kubernetesProvider in prometheus mode`);
        }
        const k8sOpts = { parent: this, provider: cluster.kubernetesProvider };
        // An HA group labels each replica's samples `__replica__: ${POD_NAME}` for AMP's deduplication.
        const replicaLabel = isHighlyAvailable(args.collector) ? REPLICA_EXTERNAL_LABEL_VALUE : undefined;
        this.renderedConfigs[cluster.name] = settings.apply((s) => renderCollectorPrometheusConfig({ ...s, replicaLabel }));
        const namespace = collectorNamespace(clusterName, args.collector.namespace, k8sOpts);
        // The chart reads prometheus.yml from this ConfigMap (configMapOverrideName), so the
        // file deployed is exactly the one rendered and checked.
        const releaseName = "collector";
        new k8s.core.v1.ConfigMap(`${clusterName}-config`, {
          metadata: { name: `${releaseName}-prometheus-config`, namespace: namespace.metadata.name },
          data: { "prometheus.yml": this.renderedConfigs[cluster.name] },
        }, k8sOpts);
        new k8s.helm.v3.Release(`${clusterName}-prometheus`, {
          name: releaseName,
          chart: PROMETHEUS_CHART.chart,
          version: PROMETHEUS_CHART.version,
          repositoryOpts: { repo: PROMETHEUS_CHART.repo },
          namespace: namespace.metadata.name,
          values: pulumi.all([collectorRole.arn, toHub.hubCredentials]).apply(([collectorRoleArn, credentials]) => collectorHelmValues({
            serviceAccountName: args.collector.serviceAccount,
            collectorRoleArn,
            prometheusMode: args.collector.prometheusMode,
            configMapOverrideName: "prometheus-config",
            replicas: args.collector.replicas,
            hubCredentials: credentials,
          })),
        }, k8sOpts);
      } else if (amp) {
        if (!cluster.clusterArn || !cluster.subnetIds?.length) {
          throw new Error(`WorkloadAccountCollector ${name}: cluster ${cluster.name} needs clusterArn and subnetIds for the managed scraper`);
        }
        if (!cluster.kubernetesProvider || !cluster.authenticationMode) {
          throw new Error(`WorkloadAccountCollector ${name}: cluster ${cluster.name} needs a kubernetesProvider and its authenticationMode for the managed scraper (exporters and scraper access)`);
        }
        const method = scraperAccessMethod(cluster.authenticationMode);
        const k8sOpts = { parent: this, provider: cluster.kubernetesProvider };
        // The scrape jobs node-exporter and kube-state-metrics find their targets only if
        // something installs the exporters: in prometheus mode the chart does, here we do.
        const namespace = collectorNamespace(clusterName, args.collector.namespace, k8sOpts);
        for (const [release, chart, values] of [
          ["node-exporter", NODE_EXPORTER_CHART, nodeExporterValues()],
          ["kube-state-metrics", KUBE_STATE_METRICS_CHART, kubeStateMetricsValues()],
        ] as const) {
          new k8s.helm.v3.Release(`${clusterName}-${release}`, {
            name: release,
            chart: chart.chart,
            version: chart.version,
            repositoryOpts: { repo: chart.repo },
            namespace: namespace.metadata.name,
            values,
          }, k8sOpts);
        }
        let scraperRbac: pulumi.Resource[] = [];
        if (method === "aws-auth") {
          // CONFIG_MAP clusters: the RBAC of the AMP user guide's manual configuration. The
          // aws-auth mapping of the scraper's role to aps-collector-user stays a manual step:
          // mapRoles is one string that also holds the node roles, not ours to own.
          const role = new k8s.rbac.v1.ClusterRole(`${clusterName}-scraper-role`, {
            metadata: { name: SCRAPER_CLUSTER_ROLE, labels: { "app.kubernetes.io/part-of": "observability" } },
            rules: scraperClusterRoleRules(),
          }, k8sOpts);
          const binding = new k8s.rbac.v1.ClusterRoleBinding(`${clusterName}-scraper-binding`, {
            metadata: { name: SCRAPER_CLUSTER_ROLE_BINDING, labels: { "app.kubernetes.io/part-of": "observability" } },
            subjects: [{ kind: "User", name: SCRAPER_K8S_USER, apiGroup: "rbac.authorization.k8s.io" }],
            roleRef: { kind: "ClusterRole", name: role.metadata.name, apiGroup: "rbac.authorization.k8s.io" },
          }, k8sOpts);
          scraperRbac = [role, binding];
        }
        this.renderedConfigs[cluster.name] = settings.apply(renderScraperConfig);
        const scraper = new aws.amp.Scraper(`${clusterName}-scraper`, {
          alias: `${args.environment}-${args.accountName}-${cluster.name}`.slice(0, 100),
          source: { eks: { clusterArn: cluster.clusterArn, subnetIds: cluster.subnetIds, securityGroupIds: cluster.securityGroupIds } },
          destination: { amp: { workspaceArn: amp.workspaceArn } },
          roleConfiguration: { sourceRoleArn: collectorRole.arn, targetRoleArn: amp.ingestRoleArn },
          scrapeConfiguration: this.renderedConfigs[cluster.name],
          tags,
        }, { ...child, replaceOnChanges: ["*"], dependsOn: scraperRbac });
        this.scraperAccess[cluster.name] = {
          authenticationMode: cluster.authenticationMode,
          method,
          ...(method === "aws-auth" ? { awsAuthRoleArn: scraper.roleArn.apply(awsAuthRoleArn) } : {}),
        };
      }

      if (cluster.vpcEndpoint && amp) {
        new AmpVpcEndpoint(`${clusterName}-aps`, {
          region,
          accountId: args.accountId,
          ...cluster.vpcEndpoint,
          workspaceArn: amp.workspaceArn,
          ingestRoleArn: amp.ingestRoleArn,
          tags,
        }, child);
      }
    }

    const cloudWatchReadRole = new aws.iam.Role(`${name}-cloudwatch-read`, {
      name: cloudWatchReadRoleName(args.environment),
      description: toHub.cloudWatchReadRoleDescription,
      assumeRolePolicy: pulumi.output(toHub.cloudWatchReaderRoleArn).apply((arn) => policyJson(policyDocument(trustExactRole(arn)))),
      tags,
    }, { ...child, aliases: toHub.cloudWatchReadAliases });
    new aws.iam.RolePolicy(`${name}-cloudwatch-read-access`, {
      role: cloudWatchReadRole.name,
      policy: policyJson(policyDocument(...allowCloudWatchReadForGrafana(args.accountId))),
    }, { ...child, aliases: toHub.cloudWatchReadAliases });

    this.collectorRoleArn = collectorRole.arn;
    this.cloudWatchReadRoleArn = cloudWatchReadRole.arn;
    this.registerOutputs({ collectorRoleArn: this.collectorRoleArn, cloudWatchReadRoleArn: this.cloudWatchReadRoleArn });
  }
}

/** The collector's namespace in one cluster: the chart's (prometheus mode) or the exporters' (managed-scraper mode). */
function collectorNamespace(clusterName: string, namespace: string, opts: pulumi.CustomResourceOptions): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(`${clusterName}-ns`, {
    metadata: { name: namespace, labels: { "app.kubernetes.io/part-of": "observability" } },
  }, opts);
}

/** What the collector's side looks like for one kind of hub. */
interface HubWiring {
  collectorRoleDescription: string;
  /** Suffix of the collector role's inline policy resource, which says what it allows. */
  collectorPolicyName: string;
  collectorPolicy: pulumi.Output<string>;
  remoteWrite(region: string): pulumi.Output<RemoteWriteTarget | SelfHostedRemoteWriteTargets>;
  /** The pod's credentials step (self-hosted hub only). */
  hubCredentials: pulumi.Output<HubCredentialsSource | undefined>;
  /** The hub role the account's CloudWatch read role trusts. */
  cloudWatchReaderRoleArn: pulumi.Input<string>;
  cloudWatchReadRoleDescription: string;
  cloudWatchReadAliases: pulumi.Alias[];
}

/** AMP: assume the hub ingest role and sign with SigV4; Grafana reads CloudWatch. */
function ampHubWiring(accountName: string, hub: HubTarget): HubWiring {
  return {
    collectorRoleDescription: `Collects ${accountName} metrics; may only assume its hub ingest role`,
    collectorPolicyName: "collector-assume-ingest",
    collectorPolicy: pulumi.output(hub.ingestRoleArn).apply((arn) => policyJson(policyDocument(allowAssumeRoles([arn], "AssumeHubIngestRole")))),
    remoteWrite: (region) => pulumi.all([hub.remoteWriteUrl, hub.ingestRoleArn]).apply(([remoteWriteUrl, ingestRoleArn]): RemoteWriteTarget => ({ remoteWriteUrl, region, ingestRoleArn })),
    hubCredentials: pulumi.output<HubCredentialsSource | undefined>(undefined),
    cloudWatchReaderRoleArn: hub.grafanaRoleArn,
    cloudWatchReadRoleDescription: "Read CloudWatch metrics, logs and alarms; assumed only by the hub's Grafana role",
    cloudWatchReadAliases: [],
  };
}

/**
 * Self-hosted: read the account's token from the hub's secret (the pod's init container,
 * hub-credentials.ts) and send it as a bearer token to every server; the hub's CloudWatch
 * exporter reads CloudWatch.
 */
function selfHostedHubWiring(accountName: string, hub: SelfHostedHubTarget): HubWiring {
  return {
    collectorRoleDescription: `Collects ${accountName} metrics; may only read its ingest token from the self-hosted hub`,
    collectorPolicyName: "collector-read-ingest-token",
    collectorPolicy: pulumi.all([hub.ingestSecretArn, hub.ingestSecretKeyArn]).apply(([secretArn, keyArn]) =>
      policyJson(policyDocument(...allowReadIngestCredential(secretArn, keyArn)))),
    remoteWrite: () => pulumi.output<SelfHostedRemoteWriteTargets>({ remoteWriteUrls: hub.remoteWriteUrls, bearerTokenFile: HUB_INGEST_TOKEN_FILE }),
    hubCredentials: pulumi.output(hub.ingestSecretArn).apply((ingestSecretArn): HubCredentialsSource | undefined => ({ ingestSecretArn, tokenField: hub.tokenField })),
    cloudWatchReaderRoleArn: hub.cloudWatchReaderRoleArn,
    cloudWatchReadRoleDescription: "Read CloudWatch metrics, logs and alarms; assumed only by the hub's CloudWatch exporter",
    // The self-hosted workload program declared the read role at the stack's root before it deployed the collector.
    cloudWatchReadAliases: [{ parent: pulumi.rootStackResource }],
  };
}

/**
 * A self-hosted hub has no AMP workspace: no managed scraper can write to it and an
 * `aps-workspaces` endpoint would carry nothing. The stacks refuse these in the hub's config;
 * this keeps the component honest when used on its own.
 */
function refuseAmpOnlyPieces(name: string, args: WorkloadAccountCollectorArgs): void {
  if (args.collector.mode === "managed-scraper") {
    throw new Error(`WorkloadAccountCollector ${name}: the managed scraper writes only to AMP workspaces; with a self-hosted hub use collector mode prometheus`);
  }
  const withEndpoint = args.clusters.filter((c) => c.vpcEndpoint).map((c) => c.name);
  if (withEndpoint.length > 0) {
    throw new Error(`WorkloadAccountCollector ${name}: cluster(s) ${withEndpoint.join(", ")} ask for an aps-workspaces VPC endpoint, which a self-hosted hub does not use; drop vpcEndpoint (the collectors reach the hub's internal load balancer)`);
  }
}
