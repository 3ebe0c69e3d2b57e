/**
 * UnifiedQuery: Promxy on EKS in the hub, querying every account's AMP workspace with
 * SigV4, behind ingress-nginx basic authentication and an (internal by default) ALB.
 * Its outputs feed one "All accounts" Prometheus data source in Grafana.
 */
import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import { ManagedEksCluster, ManagedEksClusterArgs } from "../eks-cluster";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, policyJson, splitPolicyDocument } from "../iam/policy-document";
import { TaggedWorkspaces, allowQueryHubWorkspaces, trustServiceAccount } from "../iam/statements";
import { partitionOf } from "../shared/arns";
import { BasicAuthPassword } from "./basic-auth-password";
import {
  ALB_INGRESS_CLASS,
  ExposureSettings,
  INGRESS_NGINX_CHART,
  INGRESS_NGINX_CLASS,
  INGRESS_NGINX_CONTROLLER_SERVICE,
  INGRESS_NGINX_FULLNAME,
  INGRESS_NGINX_NAMESPACE,
  LOAD_BALANCER_CONTROLLER_CHART,
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  albIngressAnnotations,
  basicAuthIngressAnnotations,
  ingressNginxValues,
  listenerScheme,
  loadBalancerControllerValues,
} from "./exposure";
import { htpasswdLine } from "./htpasswd";
import { loadBalancerControllerPolicy } from "./lb-controller-policy";
import { SigV4Mode, renderPromxyConfig } from "./promxy-config";
import { ContainerResources, PROMXY_CONFIG_FILE, PROMXY_PORT, promxyPodTemplate } from "./promxy-workload";

export interface UnifiedQueryWorkspace {
  accountName: string;
  workspaceId: pulumi.Input<string>;
  workspaceArn: pulumi.Input<string>;
}

/** Run Promxy on a cluster that already exists. */
export interface ExistingClusterArgs {
  kind: "existing";
  clusterName: string;
  k8sProvider: k8s.Provider;
  vpcId: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  /** OIDC issuer URL, with or without `https://`. */
  oidcProviderUrl: pulumi.Input<string>;
}

/**
 * Create a small EKS cluster for Promxy with ManagedEksCluster (private worker nodes): the
 * cluster's own settings (API endpoint the deploy runner reaches, deploy role as admin,
 * explicit eks provider) as ManagedEksCluster takes them; node sizing defaults here.
 */
export type NewClusterArgs = { kind: "create"; instanceType?: string; nodeCount?: number }
  & Pick<ManagedEksClusterArgs, "clusterName" | "apiEndpoint" | "deployRoleArn" | "eksProvider">
  & Required<Pick<ManagedEksClusterArgs, "vpcId" | "privateSubnetIds">>;

export interface UnifiedQueryArgs {
  environment: string;
  region: string;
  /** Hub account id: the Load Balancer Controller may only touch resources of this account. */
  hubAccountId: string;
  awsProvider: aws.Provider;
  cluster: ExistingClusterArgs | NewClusterArgs;
  workspaces: UnifiedQueryWorkspace[];
  /**
   * Query permission by tag instead of by ARN: the role's policy then keeps one size for any
   * number of workspaces. Without it, the role lists every workspace ARN.
   */
  queryScope?: TaggedWorkspaces;
  /** Customer managed key of the workspaces, when they use one: queries need it through AMP. */
  workspaceKeyArn?: pulumi.Input<string>;
  /** Production-like: at least 2 replicas, disruption budgets, spread over nodes and zones. */
  prodLike: boolean;
  replicas?: number;
  sigv4Mode?: SigV4Mode;
  promxyImage?: string;
  sigv4ProxyImage?: string;
  promxyResources?: ContainerResources;
  namespace?: string;
  basicAuthUsername?: string;
  exposure?: Partial<Omit<ExposureSettings, "replicas">>;
  /** Install the AWS Load Balancer Controller (skip when the cluster already runs one). */
  installLoadBalancerController?: boolean;
}

const SERVICE_ACCOUNT = "promxy";
const AUTH_SECRET = "promxy-basic-auth";

function resolveReplicas(args: UnifiedQueryArgs): number {
  const replicas = args.replicas ?? (args.prodLike ? 2 : 1);
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`UnifiedQuery: replicas must be a positive integer, got ${replicas}`);
  if (args.prodLike && replicas < 2) {
    throw new Error(`UnifiedQuery (${args.environment}): a production-like deployment needs at least 2 Promxy replicas, got ${replicas}`);
  }
  return replicas;
}

export class UnifiedQuery extends pulumi.ComponentResource {
  /** URL for Grafana's "All accounts" Prometheus data source. */
  public readonly queryUrl: pulumi.Output<string>;
  public readonly basicAuthUsername: pulumi.Output<string>;
  /** Secret output. */
  public readonly basicAuthPassword: pulumi.Output<string>;
  public readonly basicAuthSecretArn: pulumi.Output<string>;
  public readonly promxyRoleArn: pulumi.Output<string>;
  public readonly namespace: pulumi.Output<string>;
  /** Rendered Promxy config, exactly as deployed (holds no credentials). */
  public readonly promxyConfig: pulumi.Output<string>;

  constructor(name: string, args: UnifiedQueryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:UnifiedQuery", name, {}, opts);
    if (args.workspaces.length === 0) throw new Error(`UnifiedQuery (${args.environment}): no workspaces to query`);
    const replicas = resolveReplicas(args);
    const sigv4Mode = args.sigv4Mode ?? "native";
    const namespaceName = args.namespace ?? "promxy";
    const username = args.basicAuthUsername ?? "grafana";
    const awsOpts = { provider: args.awsProvider, parent: this };
    const exposure: ExposureSettings = { internal: true, ...args.exposure, replicas: args.prodLike ? 2 : 1 };

    const cluster = this.cluster(name, args);
    const k8sOpts = { provider: cluster.k8sProvider, parent: this };
    const labels = { "app.kubernetes.io/name": "promxy", "app.kubernetes.io/instance": name };

    // Identity: IRSA role that may only query the hub's workspaces.
    const promxyRole = new aws.iam.Role(
      `${name}-promxy`,
      {
        description: `Promxy (${args.environment}): read-only PromQL on the hub's AMP workspaces`,
        assumeRolePolicy: pulumi.all([cluster.oidcProviderArn, cluster.oidcProviderUrl]).apply(([oidcProviderArn, oidcIssuerUrl]) =>
          policyJson(policyDocument(trustServiceAccount({ oidcProviderArn, oidcIssuerUrl, namespace: namespaceName, serviceAccount: SERVICE_ACCOUNT }))),
        ),
      },
      awsOpts,
    );
    new aws.iam.RolePolicy(
      `${name}-promxy-query`,
      {
        role: promxyRole.name,
        policy: pulumi.all([pulumi.all(args.workspaces.map((ws) => ws.workspaceArn)), args.workspaceKeyArn]).apply(([arns, keyArn]) =>
          policyJson(policyDocument(...allowQueryHubWorkspaces(args.queryScope ?? arns, args.region, keyArn)))),
      },
      awsOpts,
    );

    // Promxy itself.
    const namespace = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: namespaceName, labels } }, k8sOpts);
    const ns = namespace.metadata.name;
    new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: { name: SERVICE_ACCOUNT, namespace: ns, labels, annotations: { "eks.amazonaws.com/role-arn": promxyRole.arn } } },
      k8sOpts,
    );
    const promxyConfig = pulumi
      .all(args.workspaces.map((ws) => pulumi.output(ws.workspaceId).apply((workspaceId) => ({ accountName: ws.accountName, workspaceId }))))
      .apply((workspaces) => renderPromxyConfig({ region: args.region, workspaces, sigv4Mode }));
    const configMap = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      { metadata: { name: "promxy-config", namespace: ns, labels }, data: { [PROMXY_CONFIG_FILE]: promxyConfig } },
      k8sOpts,
    );
    const deployment = new k8s.apps.v1.Deployment(
      `${name}-promxy`,
      {
        metadata: { name: "promxy", namespace: ns, labels },
        spec: {
          replicas,
          selector: { matchLabels: labels },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: promxyConfig.apply((config) =>
            promxyPodTemplate({
              region: args.region,
              sigv4Mode,
              image: args.promxyImage,
              sidecarImage: args.sigv4ProxyImage,
              resources: args.promxyResources,
              configMapName: "promxy-config",
              serviceAccountName: SERVICE_ACCOUNT,
              spreadOverNodes: args.prodLike,
              labels,
              configChecksum: createHash("sha256").update(config).digest("hex"),
            }),
          ),
        },
      },
      { ...k8sOpts, dependsOn: [configMap] },
    );
    if (args.prodLike) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-pdb`,
        { metadata: { name: "promxy", namespace: ns, labels }, spec: { minAvailable: 1, selector: { matchLabels: labels } } },
        k8sOpts,
      );
    }
    const service = new k8s.core.v1.Service(
      `${name}-svc`,
      {
        metadata: { name: "promxy", namespace: ns, labels },
        spec: { type: "ClusterIP", selector: labels, ports: [{ name: "http", port: PROMXY_PORT, targetPort: "http", protocol: "TCP" }] },
      },
      { ...k8sOpts, dependsOn: [deployment] },
    );

    // Credentials: generated, kept in Secrets Manager, only hashed inside the cluster.
    const credentials = new BasicAuthPassword(
      `${name}-basic-auth`,
      { secretName: `observability/${args.environment}/unified-query/basic-auth`, username, awsProvider: args.awsProvider },
      { parent: this },
    );
    new k8s.core.v1.Secret(
      `${name}-auth`,
      {
        metadata: { name: AUTH_SECRET, namespace: ns, labels },
        type: "Opaque",
        stringData: { auth: pulumi.secret(credentials.password.apply((password) => htpasswdLine(username, password))) },
      },
      k8sOpts,
    );

    // Exposure: ALB -> ingress-nginx (basic auth) -> Promxy.
    const controllers = this.ingressControllers(name, args, cluster, exposure, k8sOpts);
    new k8s.networking.v1.Ingress(
      `${name}-ingress`,
      {
        metadata: { name: "promxy", namespace: ns, labels, annotations: basicAuthIngressAnnotations(AUTH_SECRET) },
        spec: {
          ingressClassName: INGRESS_NGINX_CLASS,
          rules: [
            {
              ...(exposure.hostname ? { host: exposure.hostname } : {}),
              http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: service.metadata.name, port: { name: "http" } } } }] },
            },
          ],
        },
      },
      { ...k8sOpts, dependsOn: controllers },
    );
    const albIngress = new k8s.networking.v1.Ingress(
      `${name}-alb`,
      {
        metadata: { name: "promxy-alb", namespace: INGRESS_NGINX_NAMESPACE, labels, annotations: albIngressAnnotations(exposure) },
        spec: {
          ingressClassName: ALB_INGRESS_CLASS,
          defaultBackend: { service: { name: INGRESS_NGINX_CONTROLLER_SERVICE, port: { name: "http" } } },
        },
      },
      { ...k8sOpts, dependsOn: controllers },
    );

    const scheme = listenerScheme(exposure);
    this.queryUrl = exposure.hostname
      ? pulumi.output(`${scheme}://${exposure.hostname}`)
      : albIngress.status.apply((status) => {
          const hostname = status?.loadBalancer?.ingress?.[0]?.hostname;
          return hostname ? `${scheme}://${hostname}` : "";
        });
    this.basicAuthUsername = pulumi.output(username);
    this.basicAuthPassword = credentials.password;
    this.basicAuthSecretArn = credentials.secretArn;
    this.promxyRoleArn = promxyRole.arn;
    this.namespace = ns;
    this.promxyConfig = promxyConfig;
    this.registerOutputs({
      queryUrl: this.queryUrl,
      basicAuthUsername: this.basicAuthUsername,
      basicAuthPassword: this.basicAuthPassword,
      basicAuthSecretArn: this.basicAuthSecretArn,
      promxyRoleArn: this.promxyRoleArn,
      namespace: this.namespace,
      promxyConfig: this.promxyConfig,
    });
  }

  private cluster(name: string, args: UnifiedQueryArgs) {
    if (args.cluster.kind === "existing") {
      const existing = args.cluster;
      return {
        clusterName: existing.clusterName,
        vpcId: pulumi.output(existing.vpcId),
        k8sProvider: existing.k8sProvider,
        oidcProviderArn: pulumi.output(existing.oidcProviderArn),
        oidcProviderUrl: pulumi.output(existing.oidcProviderUrl),
      };
    }
    const spec = args.cluster;
    const nodeCount = spec.nodeCount ?? (args.prodLike ? 3 : 2);
    const cluster = new ManagedEksCluster(`${name}-cluster`, {
      clusterName: spec.clusterName,
      region: args.region,
      deployRoleArn: spec.deployRoleArn,
      apiEndpoint: spec.apiEndpoint,
      vpcId: spec.vpcId,
      privateSubnetIds: spec.privateSubnetIds,
      instanceType: spec.instanceType ?? "t3.medium",
      desiredCapacity: nodeCount,
      minSize: nodeCount,
      maxSize: nodeCount + 2,
      tags: { "observability/component": "unified-query", "observability/environment": args.environment },
      awsProvider: args.awsProvider,
      eksProvider: spec.eksProvider,
    }, { parent: this });
    return {
      clusterName: spec.clusterName,
      vpcId: pulumi.output(spec.vpcId),
      k8sProvider: cluster.kubernetesProvider,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcProviderUrl: cluster.oidcProviderUrl,
    };
  }

  private ingressControllers(
    name: string,
    args: UnifiedQueryArgs,
    cluster: { clusterName: string; vpcId: pulumi.Output<string>; oidcProviderArn: pulumi.Output<string>; oidcProviderUrl: pulumi.Output<string> },
    exposure: ExposureSettings,
    k8sOpts: { provider: k8s.Provider; parent: pulumi.Resource },
  ): pulumi.Resource[] {
    const awsOpts = { provider: args.awsProvider, parent: this };
    const releases: pulumi.Resource[] = [];
    if (args.installLoadBalancerController ?? true) {
      const lbcRole = new aws.iam.Role(
        `${name}-lb-controller`,
        {
          description: `AWS Load Balancer Controller of ${cluster.clusterName}`,
          assumeRolePolicy: pulumi.all([cluster.oidcProviderArn, cluster.oidcProviderUrl]).apply(([oidcProviderArn, oidcIssuerUrl]) =>
            policyJson(policyDocument(trustServiceAccount({ oidcProviderArn, oidcIssuerUrl, ...serviceAccountIdentity(LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT) }))),
          ),
        },
        awsOpts,
      );
      // The controller's policy is 8,348 characters: as one inline policy it would use 82% of
      // the role's 10,240; as two managed policies each stays near 70% of its 6,144.
      const lbcPolicy = splitPolicyDocument(
        loadBalancerControllerPolicy({ partition: partitionOf(args.region), region: args.region, accountId: args.hubAccountId, clusterName: cluster.clusterName }),
        2,
      ).map((part, index) => {
        const policy = new aws.iam.Policy(`${name}-lb-controller-${index + 1}`, {
          description: `AWS Load Balancer Controller of ${cluster.clusterName} (part ${index + 1} of 2)`,
          policy: policyJson(part),
        }, awsOpts);
        return new aws.iam.RolePolicyAttachment(`${name}-lb-controller-${index + 1}`, { role: lbcRole.name, policyArn: policy.arn }, awsOpts);
      });
      releases.push(
        new k8s.helm.v3.Release(
          `${name}-lb-controller`,
          {
            name: "aws-load-balancer-controller",
            chart: LOAD_BALANCER_CONTROLLER_CHART.chart,
            version: LOAD_BALANCER_CONTROLLER_CHART.version,
            repositoryOpts: { repo: LOAD_BALANCER_CONTROLLER_CHART.repo },
            namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
            values: pulumi
              .all([cluster.vpcId, lbcRole.arn])
              .apply(([vpcId, roleArn]) => loadBalancerControllerValues(cluster.clusterName, args.region, vpcId, roleArn, exposure.replicas)),
          },
          { ...k8sOpts, dependsOn: lbcPolicy },
        ),
      );
    }
    releases.push(
      new k8s.helm.v3.Release(
        `${name}-ingress-nginx`,
        {
          name: INGRESS_NGINX_FULLNAME,
          chart: INGRESS_NGINX_CHART.chart,
          version: INGRESS_NGINX_CHART.version,
          repositoryOpts: { repo: INGRESS_NGINX_CHART.repo },
          namespace: INGRESS_NGINX_NAMESPACE,
          createNamespace: true,
          values: ingressNginxValues(exposure),
        },
        k8sOpts,
      ),
    );
    return releases;
  }
}

function serviceAccountIdentity(sa: { namespace: string; name: string }) {
  return { namespace: sa.namespace, serviceAccount: sa.name };
}
