/**
 * The offline plan's stand-in for the Pulumi engine and providers. Values AWS derives from
 * names (role ARNs, topic ARNs...) are computed exactly; values AWS assigns at create time
 * (workspace ids, key ids, endpoints) or reads from a live account are the visible marker
 * KNOWN_AT_DEPLOY, never invented look-alikes.
 */
import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "../../components/shared/arns";
import { renderKubeconfig } from "../kubeconfig";
import { invokeRuleViolation } from "./provider-rules";

export const KNOWN_AT_DEPLOY = "known-at-deploy";
/** The authentication mode the mock's getCluster reports for an existing cluster. */
export const DEFAULT_AUTHENTICATION_MODE = "CONFIG_MAP";
/** What `getRandomPassword` stands in with: long enough to pass the consumers' checks, never a real secret. */
export const RANDOM_PASSWORD_AT_DEPLOY = `${KNOWN_AT_DEPLOY}-random-password`;

interface ProviderTarget {
  accountId: string;
  region: string;
}

type State = Record<string, unknown>;

/** What the mock returns beyond the inputs, per resource type: what AWS would compute. */
function computedState(type: string, name: string, inputs: State, target: ProviderTarget): State {
  const { accountId, region } = target;
  const p = partitionOf(region);
  const named = (inputs.name as string | undefined) ?? name;
  switch (type) {
    case "aws:iam/role:Role":
      return { name: named, arn: `arn:${p}:iam::${accountId}:role/${named}`, uniqueId: KNOWN_AT_DEPLOY };
    case "aws:amp/workspace:Workspace": {
      const id = `ws-${KNOWN_AT_DEPLOY}-${inputs.alias ?? name}`;
      return { id, arn: `arn:${p}:aps:${region}:${accountId}:workspace/${id}`, prometheusEndpoint: `https://aps-workspaces.${region}.amazonaws.com/workspaces/${id}/` };
    }
    case "aws:grafana/workspace:Workspace":
      return { endpoint: `g-${KNOWN_AT_DEPLOY}.grafana-workspace.${region}.amazonaws.com`, arn: `arn:${p}:grafana:${region}:${accountId}:/workspaces/g-${KNOWN_AT_DEPLOY}` };
    case "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount":
      return { serviceAccountId: KNOWN_AT_DEPLOY };
    case "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken":
      return { key: pulumi.secret(KNOWN_AT_DEPLOY), serviceAccountTokenId: KNOWN_AT_DEPLOY };
    case "grafana:oss/serviceAccount:ServiceAccount":
      return { id: KNOWN_AT_DEPLOY };
    case "grafana:oss/serviceAccountToken:ServiceAccountToken":
      // Grafana's service account tokens carry the `glsa_` prefix the API listener admits.
      return { key: pulumi.secret(`glsa_${KNOWN_AT_DEPLOY}`) };
    case "aws:kms/key:Key":
      return { arn: `arn:${p}:kms:${region}:${accountId}:key/${KNOWN_AT_DEPLOY}-${name}`, keyId: `${KNOWN_AT_DEPLOY}-${name}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: `arn:${p}:logs:${region}:${accountId}:log-group:${named}` };
    case "aws:sns/topic:Topic":
      return { arn: `arn:${p}:sns:${region}:${accountId}:${named}` };
    case "aws:sqs/queue:Queue":
      return { arn: `arn:${p}:sqs:${region}:${accountId}:${named}`, url: `https://sqs.${region}.amazonaws.com/${accountId}/${named}` };
    case "aws:lambda/function:Function":
      return { arn: `arn:${p}:lambda:${region}:${accountId}:function:${named}` };
    case "aws:cloudwatch/eventBus:EventBus":
      return { arn: `arn:${p}:events:${region}:${accountId}:event-bus/${named}` };
    case "aws:cloudwatch/eventRule:EventRule": {
      // Rules on the default bus are `rule/<name>`; on a custom bus `rule/<bus>/<name>`.
      const bus = inputs.eventBusName as string | undefined;
      return { arn: `arn:${p}:events:${region}:${accountId}:rule/${bus && bus !== "default" ? `${bus}/` : ""}${named}` };
    }
    case "aws:secretsmanager/secret:Secret":
      return { arn: `arn:${p}:secretsmanager:${region}:${accountId}:secret:${named}-${KNOWN_AT_DEPLOY}` };
    case "eks:index:Cluster": {
      const issuer = `oidc.eks.${region}.amazonaws.com/id/${KNOWN_AT_DEPLOY}`;
      // pulumi-eks renders its kubeconfig's exec command from providerCredentialOpts: with a
      // roleArn the token is minted for that role, without one for the ambient credentials.
      const credentialOpts = inputs.providerCredentialOpts as { roleArn?: string } | undefined;
      return {
        oidcProviderArn: `arn:${p}:iam::${accountId}:oidc-provider/${issuer}`,
        oidcProviderUrl: `https://${issuer}`,
        oidcIssuer: issuer,
        kubeconfigJson: renderKubeconfig({
          clusterName: (inputs.name as string | undefined) ?? name,
          endpoint: `https://${KNOWN_AT_DEPLOY}.eks.${region}.amazonaws.com`,
          certificateAuthorityData: KNOWN_AT_DEPLOY,
          region,
          deployRoleArn: credentialOpts?.roleArn,
        }),
        clusterSecurityGroupId: KNOWN_AT_DEPLOY,
      };
    }
    case "kubernetes:networking.k8s.io/v1:Ingress": {
      // The AWS Load Balancer Controller writes its ALB's DNS name (internal-<lb>-<id>...) into
      // the status of `alb` Ingresses once the ALB exists; other classes are left as they are.
      const metadata = inputs.metadata as { annotations?: Record<string, string> } | undefined;
      const spec = inputs.spec as { ingressClassName?: string } | undefined;
      if ((spec?.ingressClassName ?? metadata?.annotations?.["kubernetes.io/ingress.class"]) !== "alb") return {};
      const internal = metadata?.annotations?.["alb.ingress.kubernetes.io/scheme"] !== "internet-facing";
      const hostname = `${internal ? "internal-" : ""}${KNOWN_AT_DEPLOY}.${region}.elb.amazonaws.com`;
      return { status: { loadBalancer: { ingress: [{ hostname }] } } };
    }
    case "aws:amp/scraper:Scraper":
      // AMP creates the scraper's service-linked role with a suffix of its own.
      return {
        arn: `arn:${p}:aps:${region}:${accountId}:scraper/s-${KNOWN_AT_DEPLOY}-${name}`,
        roleArn: `arn:${p}:iam::${accountId}:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper_${KNOWN_AT_DEPLOY}`,
      };
    case "grafana:oss/dashboard:Dashboard":
      // Grafana returns the dashboard's URL (its root URL, uid and title slug) when it saves it.
      return { url: KNOWN_AT_DEPLOY };
    default:
      return type.startsWith("aws:") && inputs.arn === undefined ? { arn: `arn:${p}:${KNOWN_AT_DEPLOY}:${region}:${accountId}:${name}` } : {};
  }
}

/**
 * What the stacks of one plan have created, as later stacks would find it through a
 * provider's data sources (the query stack lists the workspaces the account stacks made).
 */
/** A stack output the program exported as a secret, as runProgramUnderMocks keeps it. */
export interface SecretValue {
  [SECRET_OUTPUT]: true;
  value: unknown;
}
export const SECRET_OUTPUT = "secretOutput";

export function isSecretValue(value: unknown): value is SecretValue {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_OUTPUT] === true;
}

export class PlannedCloud {
  readonly ampWorkspaces: Array<{ alias: string; id: string; arn: string; accountId: string; region: string }> = [];
}

export class PlanMocks implements pulumi.runtime.Mocks {
  /** Provider id -> the account and region it deploys into (from allowedAccountIds). */
  readonly providerTargets = new Map<string, ProviderTarget>();
  /** What the real engine would refuse (provider rules), collected while the program runs. */
  readonly engineRefusals: string[] = [];
  /** What the plan itself refuses although the engine would accept it, collected while the program runs. */
  readonly planRefusals: string[] = [];
  /** Every invoke the program made, with the provider reference it named. */
  readonly invokes: Array<{ token: string; provider?: string }> = [];

  constructor(
    /** Outputs of stacks that StackReferences may read, by referenced name. */
    private readonly referencedStacks: Record<string, Record<string, unknown>>,
    private readonly fallback: ProviderTarget,
    /** Packages whose default provider the stack disables. */
    private readonly disabledProviders: string[] = [],
    /** Shared by the stacks of one plan: what earlier stacks created. */
    private readonly cloud: PlannedCloud = new PlannedCloud(),
  ) {}

  targetOf(providerRef: string | undefined): ProviderTarget {
    const id = providerRef?.split("::").pop();
    return (id && this.providerTargets.get(id)) || this.fallback;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    if (args.type === "pulumi:providers:aws") {
      const id = `${args.name}-provider`;
      // Provider config arrives JSON-encoded, as the engine passes it to the plugin.
      const allowed = args.inputs.allowedAccountIds;
      const accounts = (typeof allowed === "string" ? JSON.parse(allowed) : allowed) as string[] | undefined;
      // Every stack deploys into exactly one account: a provider that allows several (or none
      // listed) has no single target, and reading the first would plan for the wrong account.
      if (accounts !== undefined && accounts.length !== 1) {
        this.planRefusals.push(
          `aws provider "${args.name}" allows ${accounts.length} accounts (${accounts.join(", ")}): every stack deploys into exactly one account, so allowedAccountIds must name only that account`,
        );
      }
      const accountId = accounts?.[0] ?? this.fallback.accountId;
      this.providerTargets.set(id, { accountId, region: args.inputs.region ?? this.fallback.region });
      return { id, state: args.inputs };
    }
    if (args.type === "pulumi:pulumi:StackReference") {
      const name = args.inputs.name as string;
      const outputs = this.referencedStacks[name] ?? {};
      // Outputs the referenced stack exported as secrets are read back as secrets, as the engine does.
      const secretOutputNames = Object.entries(outputs).filter(([, value]) => isSecretValue(value)).map(([key]) => key);
      const plain = Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, isSecretValue(value) ? value.value : value]));
      return { id: name, state: { name, outputs: plain, secretOutputNames } };
    }
    if (args.type.startsWith("pulumi:providers:")) {
      return { id: `${args.name}-provider`, state: args.inputs };
    }
    const target = this.targetOf(args.provider);
    const { id, ...computed } = computedState(args.type, args.name, args.inputs, target);
    const state = { ...args.inputs, ...computed };
    if (args.type === "aws:amp/workspace:Workspace" && typeof args.inputs.alias === "string") {
      this.cloud.ampWorkspaces.push({ alias: args.inputs.alias, id: id as string, arn: state.arn as string, ...target });
    }
    const resourceId = (id as string | undefined) ?? (args.type === "aws:iam/role:Role" ? (state.name as string) : `${args.name}-${KNOWN_AT_DEPLOY}`);
    return { id: resourceId, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    this.invokes.push({ token: args.token, provider: args.provider });
    const refusal = invokeRuleViolation(args.token, args.provider, this.disabledProviders);
    if (refusal) this.engineRefusals.push(refusal);
    const target = this.targetOf(args.provider);
    if (args.token === "aws:eks/getCluster:getCluster") {
      return {
        name: args.inputs.name,
        arn: `arn:${partitionOf(target.region)}:eks:${target.region}:${target.accountId}:cluster/${args.inputs.name}`,
        endpoint: `https://${KNOWN_AT_DEPLOY}.eks.${target.region}.amazonaws.com`,
        certificateAuthorities: [{ data: KNOWN_AT_DEPLOY }],
        // What a cluster created through the EKS API, an SDK, CloudFormation or Terraform
        // without accessConfig has (the console's default is API_AND_CONFIG_MAP).
        accessConfigs: [{
          authenticationMode: DEFAULT_AUTHENTICATION_MODE,
          bootstrapClusterCreatorAdminPermissions: true,
        }],
      };
    }
    if (args.token === "aws:amp/getWorkspaces:getWorkspaces") {
      const prefix = (args.inputs.aliasPrefix as string | undefined) ?? "";
      const found = this.cloud.ampWorkspaces.filter((w) =>
        w.accountId === target.accountId && w.region === target.region && w.alias.startsWith(prefix));
      return {
        aliasPrefix: prefix,
        aliases: found.map((w) => w.alias),
        arns: found.map((w) => w.arn),
        workspaceIds: found.map((w) => w.id),
        id: target.region,
        region: target.region,
      };
    }
    if (args.token === "aws:secretsmanager/getRandomPassword:getRandomPassword") {
      return { randomPassword: RANDOM_PASSWORD_AT_DEPLOY };
    }
    return args.inputs;
  }
}
