/**
 * AWS IAM evaluation over the policy documents the offline plan produces.
 *
 * `indexOf(env)` collects, from the cached plan of an environment, every IAM role (trust
 * policy, inline policies, tags), every resource that has or may have a resource policy
 * (AMP workspaces, SNS topics, SQS queues, event buses, KMS keys, Lambda functions built
 * from their Permission resources, secrets) and every VPC endpoint policy, by ARN.
 *
 * `decide(index, request)` asks @cloud-copilot/iam-simulate (`runSimulation`, Strict mode)
 * for the decision on one request with a full request context built from who calls
 * (assumed-role session, web identity, service principal), what is called and through which
 * VPC endpoint. Strict mode evaluates the context exactly as given: a key that is not in the
 * context is absent, so a condition on it fails (or, for `...IfExists`, negated operators,
 * `ForAllValues` and `Null`, matches). On top of that this helper refuses to answer when
 * the decision could rest on a key we did not think about:
 *
 * - every condition key referenced by an applicable statement (its action, resource and
 *   principal match the request) must be in the context, or be declared absent: the request
 *   knows which keys AWS leaves out of that kind of request (`absent`);
 * - an Allow statement must never match *because* a key is absent, and an allowed request
 *   must not escape a Deny statement only because a key is absent;
 * - a key we pass that the simulator drops as "not applicable to this action" is an error,
 *   except the claims of an IAM OIDC provider (`<issuer>:sub`, `<issuer>:aud`), which the
 *   simulator's data does not know for EKS issuers, and KMS encryption-context keys
 *   (`kms:EncryptionContext:aws:logs:arn`) that the reference lists for the action, which the
 *   simulator knows only as a pattern: those requests are decided again with
 *   `runUnsafeSimulation`, which takes the context as given. It gives an overall result only,
 *   so each side's verdict is decided again with the other side opened up (a resource policy
 *   granting the caller's account root; an identity policy allowing everything).
 */
import {
  runSimulation,
  runUnsafeSimulation,
  type EvaluationResult,
  type RequestAnalysis,
  type Simulation,
  type StatementExplain,
} from "@cloud-copilot/iam-simulate";
import { actionSupportsKey, referenceAction } from "../../policies/analysis/reference";
import { EnvironmentPlan, PlannedStack } from "../../stacks/plan/plan";
import { ResourceRecord } from "../../stacks/plan/run-stack";
import { KNOWN_AT_DEPLOY } from "../../stacks/plan/mocks";
import { hubRawConfig } from "../support/org-model";
import { doc, hubSide, planOf } from "../support/plans";

export { KNOWN_AT_DEPLOY };

export interface NamedPolicy {
  /** Where the document comes from: `<stack>/<resource type>/<resource name>`. */
  name: string;
  policy: any;
}

export interface PlannedRole {
  arn: string;
  name: string;
  accountId: string;
  /** The stack that declares it, or "hypothetical" for a role the test invents. */
  stack: string;
  trust: NamedPolicy;
  policies: NamedPolicy[];
  /** Managed policies attached by ARN whose documents the plan does not contain (AWS managed ones). */
  opaquePolicies: string[];
  tags: Record<string, string>;
}

export interface PlannedResource {
  arn: string;
  accountId: string;
  stack: string;
  type: string;
  record: ResourceRecord;
  tags: Record<string, string>;
  /** The resource policy AWS attaches to it, if any. */
  policy?: NamedPolicy;
}

export interface PlannedEndpoint {
  stack: string;
  name: string;
  accountId: string;
  vpcId: string;
  serviceName: string;
  policy: NamedPolicy;
}

export interface PlanIndex {
  environment: string;
  plan: EnvironmentPlan;
  hub: PlannedStack;
  workloads: PlannedStack[];
  region: string;
  hubAccountId: string;
  /** `observability:hub.organizationId`, if the environment is in an organisation. */
  organizationId?: string;
  /** Hub and workload accounts of the environment. */
  accounts: string[];
  roles: Map<string, PlannedRole>;
  resources: Map<string, PlannedResource>;
  endpoints: PlannedEndpoint[];
  role(arn: string): PlannedRole;
  resource(arn: string): PlannedResource;
}

// ---------------------------------------------------------------------------------------
// ARNs AWS derives from names, exactly as the plan's mock runtime (stacks/plan/mocks.ts)
// computes them; values AWS assigns at create time carry KNOWN_AT_DEPLOY.

export const roleArn = (accountId: string, name: string) => `arn:aws:iam::${accountId}:role/${name}`;
export const workspaceArn = (region: string, accountId: string, id: string) => `arn:aws:aps:${region}:${accountId}:workspace/${id}`;

export function accountOfArn(arn: string): string {
  const account = arn.split(":")[4];
  if (!/^\d{12}$/.test(account ?? "")) throw new Error(`no account id in ARN ${arn}`);
  return account;
}

function arnOf(record: ResourceRecord, region: string, accountId: string): string | undefined {
  const named = (record.inputs.name as string | undefined) ?? record.name;
  switch (record.type) {
    case "aws:amp/workspace:Workspace":
      return workspaceArn(region, accountId, `ws-${KNOWN_AT_DEPLOY}-${(record.inputs.alias as string | undefined) ?? record.name}`);
    case "aws:sns/topic:Topic":
      return `arn:aws:sns:${region}:${accountId}:${named}`;
    case "aws:sqs/queue:Queue":
      return `arn:aws:sqs:${region}:${accountId}:${named}`;
    case "aws:cloudwatch/eventBus:EventBus":
      return `arn:aws:events:${region}:${accountId}:event-bus/${named}`;
    case "aws:cloudwatch/eventRule:EventRule":
      return ruleArnOf(record, region, accountId);
    case "aws:kms/key:Key":
      return `arn:aws:kms:${region}:${accountId}:key/${KNOWN_AT_DEPLOY}-${record.name}`;
    case "aws:lambda/function:Function":
      return `arn:aws:lambda:${region}:${accountId}:function:${named}`;
    case "aws:secretsmanager/secret:Secret":
      return `arn:aws:secretsmanager:${region}:${accountId}:secret:${named}-${KNOWN_AT_DEPLOY}`;
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${named}`;
    default:
      return undefined;
  }
}

/** EventBridge rules on the default bus have the ARN `rule/<name>`, on a custom bus `rule/<bus>/<name>`. */
export function ruleArnOf(record: ResourceRecord, region: string, accountId: string): string {
  const bus = record.inputs.eventBusName as string | undefined;
  const name = (record.inputs.name as string | undefined) ?? record.name;
  return bus && bus !== "default"
    ? `arn:aws:events:${region}:${accountId}:rule/${bus}/${name}`
    : `arn:aws:events:${region}:${accountId}:rule/${name}`;
}

/** The key policy AWS gives a key created without one. */
const DEFAULT_KEY_POLICY = (accountId: string) => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }],
});

/** The policy AWS gives an interface endpoint created without one: full access. */
const DEFAULT_ENDPOINT_POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] };

/** The resource-based policy statement AWS adds to a function for one `lambda.Permission`. */
export function lambdaPermissionStatement(permission: ResourceRecord, functionArn: string): any {
  const i = permission.inputs as Record<string, any>;
  const unsupported = ["eventSourceToken", "functionUrlAuthType", "principalOrgId", "qualifier"].filter((k) => i[k] !== undefined);
  if (unsupported.length) throw new Error(`Permission ${permission.name}: ${unsupported.join(", ")} not modelled by the simulation helper`);
  const principal = String(i.principal);
  const condition: Record<string, Record<string, string>> = {};
  if (i.sourceAccount) condition.StringEquals = { "AWS:SourceAccount": String(i.sourceAccount) };
  if (i.sourceArn) condition.ArnLike = { "AWS:SourceArn": String(i.sourceArn) };
  return {
    Sid: i.statementId ?? permission.name,
    Effect: "Allow",
    Principal: /^\d{12}$/.test(principal) || principal.startsWith("arn:") ? { AWS: principal } : { Service: principal },
    Action: String(i.action),
    Resource: functionArn,
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
}

function tagsOf(record: ResourceRecord, stack: PlannedStack): Record<string, string> {
  const provider = stack.resources.find((r) => r.urn === record.provider);
  const defaults = provider?.inputs.defaultTags ? (doc(provider.inputs.defaultTags)?.tags ?? {}) : {};
  return { ...defaults, ...((record.inputs.tags as Record<string, string> | undefined) ?? {}) };
}

function policyName(stack: PlannedStack, record: ResourceRecord): string {
  return `${stack.stack}/${record.type.split(":")[1]}/${record.name}`;
}

function buildIndex(environment: string, plan: EnvironmentPlan): PlanIndex {
  const hub = hubSide(plan);
  if (!hub) throw new Error(`the ${environment} plan has no hub stack`);
  const hubConfig = hubRawConfig(environment).hub as { region: string; accountId: string; organizationId?: string };
  const region = hubConfig.region;
  const roles = new Map<string, PlannedRole>();
  const resources = new Map<string, PlannedResource>();
  const endpoints: PlannedEndpoint[] = [];
  const managedPolicies = new Map<string, NamedPolicy>();

  for (const stack of plan.stacks) {
    const accountOf = (r: ResourceRecord) => r.accountId ?? stack.accountId;
    for (const record of stack.resources) {
      const accountId = accountOf(record);
      if (record.type === "aws:iam/role:Role") {
        const name = (record.inputs.name as string | undefined) ?? record.name;
        const managed = (record.inputs.managedPolicyArns as string[] | undefined) ?? [];
        const inline = (record.inputs.inlinePolicies as Array<{ name: string; policy: unknown }> | undefined) ?? [];
        const arn = roleArn(accountId, name);
        roles.set(arn, {
          arn, name, accountId, stack: stack.stack,
          trust: { name: `${policyName(stack, record)}#trust`, policy: doc(record.inputs.assumeRolePolicy) },
          policies: inline.map((p) => ({ name: `${policyName(stack, record)}#${p.name}`, policy: doc(p.policy) })),
          opaquePolicies: [...managed],
          tags: tagsOf(record, stack),
        });
      } else if (record.type === "aws:iam/policy:Policy") {
        managedPolicies.set(`arn:aws:iam::${accountId}:policy${(record.inputs.path as string | undefined) ?? "/"}${(record.inputs.name as string | undefined) ?? record.name}`, { name: policyName(stack, record), policy: doc(record.inputs.policy) });
      } else if (record.type === "aws:ec2/vpcEndpoint:VpcEndpoint") {
        endpoints.push({
          stack: stack.stack, name: record.name, accountId,
          vpcId: String(record.inputs.vpcId), serviceName: String(record.inputs.serviceName),
          policy: { name: policyName(stack, record), policy: record.inputs.policy ? doc(record.inputs.policy) : DEFAULT_ENDPOINT_POLICY },
        });
      } else {
        const arn = arnOf(record, region, accountId);
        if (arn) {
          resources.set(arn, { arn, accountId, stack: stack.stack, type: record.type, record, tags: tagsOf(record, stack) });
          if (record.type === "aws:kms/key:Key") {
            resources.get(arn)!.policy = { name: policyName(stack, record), policy: record.inputs.policy ? doc(record.inputs.policy) : DEFAULT_KEY_POLICY(accountId) };
          }
        }
      }
    }
  }

  // Second pass: documents attached to the roles and resources collected above.
  for (const stack of plan.stacks) {
    const accountOf = (r: ResourceRecord) => r.accountId ?? stack.accountId;
    const lambdaStatements = new Map<string, any[]>();
    for (const record of stack.resources) {
      const accountId = accountOf(record);
      const attach = (arn: string, policy: unknown) => {
        const target = resources.get(arn);
        if (!target) throw new Error(`${policyName(stack, record)} attaches a policy to ${arn}, which the plan does not declare`);
        if (target.policy) throw new Error(`${arn} has two resource policies (${target.policy.name}, ${policyName(stack, record)})`);
        target.policy = { name: policyName(stack, record), policy: doc(policy) };
      };
      switch (record.type) {
        case "aws:iam/rolePolicy:RolePolicy": {
          const roleRef = String(record.inputs.role);
          const arn = roleRef.startsWith("arn:") ? roleRef : roleArn(accountId, roleRef);
          const role = roles.get(arn);
          if (!role) throw new Error(`${policyName(stack, record)} is attached to role ${arn}, which the plan does not declare`);
          role.policies.push({ name: policyName(stack, record), policy: doc(record.inputs.policy) });
          break;
        }
        case "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
          const roleRef = String(record.inputs.role);
          const role = roles.get(roleRef.startsWith("arn:") ? roleRef : roleArn(accountId, roleRef));
          if (!role) throw new Error(`${policyName(stack, record)} is attached to role ${roleRef}, which the plan does not declare`);
          const policyArn = String(record.inputs.policyArn);
          const managed = managedPolicies.get(policyArn);
          if (managed) role.policies.push(managed);
          else role.opaquePolicies.push(policyArn);
          break;
        }
        case "aws:iam/policyAttachment:PolicyAttachment":
          throw new Error(`${policyName(stack, record)}: aws.iam.PolicyAttachment (exclusive) is not modelled by the simulation helper`);
        case "aws:sns/topicPolicy:TopicPolicy":
          attach(String(record.inputs.arn), record.inputs.policy);
          break;
        case "aws:sqs/queuePolicy:QueuePolicy": {
          const url = new URL(String(record.inputs.queueUrl));
          const [, account, name] = url.pathname.split("/");
          const queueRegion = url.hostname.split(".")[1];
          attach(`arn:aws:sqs:${queueRegion}:${account}:${name}`, record.inputs.policy);
          break;
        }
        case "aws:cloudwatch/eventBusPolicy:EventBusPolicy":
          attach(`arn:aws:events:${region}:${accountId}:event-bus/${(record.inputs.eventBusName as string | undefined) ?? "default"}`, record.inputs.policy);
          break;
        case "aws:secretsmanager/secretPolicy:SecretPolicy":
          attach(String(record.inputs.secretArn), record.inputs.policy);
          break;
        case "aws:lambda/permission:Permission": {
          const fn = String(record.inputs.function);
          const arn = fn.startsWith("arn:") ? fn : `arn:aws:lambda:${region}:${accountId}:function:${fn}`;
          if (!resources.has(arn)) throw new Error(`${policyName(stack, record)} grants on ${arn}, which the plan does not declare`);
          lambdaStatements.set(arn, [...(lambdaStatements.get(arn) ?? []), lambdaPermissionStatement(record, arn)]);
          break;
        }
      }
    }
    for (const [arn, statements] of lambdaStatements) {
      resources.get(arn)!.policy = { name: `${stack.stack}/lambda-permissions/${arn.split(":").pop()}`, policy: { Version: "2012-10-17", Statement: statements } };
    }
  }

  const workloads = plan.stacks.filter((s) => s.kind === "workload");
  return {
    environment, plan, hub, workloads, region,
    hubAccountId: hub.accountId,
    organizationId: hubConfig.organizationId,
    accounts: plan.stacks.map((s) => s.accountId),
    roles, resources, endpoints,
    role(arn: string) {
      const role = roles.get(arn);
      if (!role) throw new Error(`the ${environment} plan declares no role ${arn} (roles: ${[...roles.keys()].join(", ")})`);
      return role;
    },
    resource(arn: string) {
      const resource = resources.get(arn);
      if (!resource) throw new Error(`the ${environment} plan declares no resource ${arn}`);
      return resource;
    },
  };
}

const indexes = new Map<string, Promise<PlanIndex>>();

/** The IAM view of an environment's plan, built once per test run from the cached plan. */
export function indexOf(environment: string): Promise<PlanIndex> {
  if (!indexes.has(environment)) indexes.set(environment, planOf(environment).then((plan) => buildIndex(environment, plan)));
  return indexes.get(environment)!;
}

/** A role the plan does not declare (a neighbour the tests invent), with the documents given. */
export function hypotheticalRole(arn: string, policies: any[] = [], trust: any = { Version: "2012-10-17", Statement: [] }, tags: Record<string, string> = {}): PlannedRole {
  return {
    arn, name: arn.split("/").pop()!, accountId: accountOfArn(arn), stack: "hypothetical",
    trust: { name: `hypothetical:${arn}#trust`, policy: trust },
    policies: policies.map((policy, i) => ({ name: `hypothetical:${arn}#${i}`, policy })),
    opaquePolicies: [],
    tags,
  };
}

// ---------------------------------------------------------------------------------------
// Who calls.

export type Caller =
  | {
      kind: "role";
      role: PlannedRole;
      session: string;
      /** aws:PrincipalOrgID; default: the environment's organisation (all its accounts are members). */
      orgId?: string | null;
    }
  | {
      kind: "web-identity";
      /** arn:aws:iam::<account>:oidc-provider/<issuer host and path> */
      providerArn: string;
      sub: string;
      aud: string;
      session: string;
    }
  | {
      kind: "service";
      /** e.g. aps.amazonaws.com */
      service: string;
      sourceArn?: string;
      sourceAccount?: string;
    };

export const roleSession = (role: PlannedRole, session = "simulated-session", orgId?: string | null): Caller => ({ kind: "role", role, session, orgId });

export const webIdentity = (providerArn: string, sub: string, aud = "sts.amazonaws.com", session = "simulated-web-identity"): Caller =>
  ({ kind: "web-identity", providerArn, sub, aud, session });

export const service = (name: string, sourceArn?: string, sourceAccount?: string): Caller => ({ kind: "service", service: name, sourceArn, sourceAccount });

export function issuerOf(providerArn: string): string {
  const match = /^arn:aws:iam::\d{12}:oidc-provider\/(.+)$/.exec(providerArn);
  if (!match) throw new Error(`not an IAM OIDC provider ARN: ${providerArn}`);
  return match[1];
}

export function principalArnOf(caller: Caller): string {
  switch (caller.kind) {
    case "role":
      return `arn:aws:sts::${caller.role.accountId}:assumed-role/${caller.role.name}/${caller.session}`;
    case "web-identity":
      return caller.providerArn;
    case "service":
      return caller.service;
  }
}

// ---------------------------------------------------------------------------------------
// What is asked.

export interface AccessRequest {
  caller: Caller;
  action: string;
  /** ARN of the resource acted on. */
  resource: string;
  /**
   * The resource policy. Default: the plan's (a role's trust policy for sts:AssumeRole*,
   * the attached policy for other resources; none if the plan has none). `null`: none.
   */
  resourcePolicy?: NamedPolicy | null;
  /** The identity policies; default: the caller role's inline policies from the plan. */
  identityPolicies?: NamedPolicy[];
  /** The VPC endpoint the request passes through, if any. */
  vpcEndpoint?: PlannedEndpoint;
  /** Keys of this request beyond those derived from caller, resource and endpoint. */
  context?: Record<string, string | string[]>;
  /** Keys AWS leaves out of this request, beyond the defaults for the kind of caller. */
  absent?: string[];
}

export interface Decision {
  result: EvaluationResult;
  /** Identity policies alone (undefined for callers without identity policies). */
  identity?: EvaluationResult;
  /** The resource policy alone ("NotApplicable" when it names nothing that matches). */
  resource?: string;
  /** The VPC endpoint policy alone, when the request passes through one. */
  endpoint?: EvaluationResult;
  analysis: RequestAnalysis;
  context: Record<string, string | string[]>;
  /** Which engine decided: "runSimulation", or "runUnsafeSimulation" for OIDC-claim requests. */
  engine: "runSimulation" | "runUnsafeSimulation";
  /** One-line summary of the request, for assertion messages. */
  describe: string;
  /** Why: statements that allowed or denied, per policy, for assertion messages. */
  explain: string;
}

/** What `decide` reads of an index: a test may build one by hand to judge documents no plan holds. */
export type DecisionScope = Pick<PlanIndex, "region" | "organizationId" | "accounts" | "roles" | "resources">;

/** Thrown when the simulated decision could rest on a missing or invented context key. */
export class IncompleteContextError extends Error {}

const ROLE_SESSION_ABSENT = [
  "aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner",
  "aws:FederatedProvider", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList",
  "kms:ViaService", "sts:ExternalId", "sts:SourceIdentity", "aws:SourceIdentity",
  "aws:SourceVpc", "aws:SourceVpce", "aws:VpceAccount", "aws:VpceOrgID", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge",
];
const WEB_IDENTITY_ABSENT = [
  "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
  "aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:PrincipalServiceName", "sts:ExternalId",
  "aws:SourceVpc", "aws:SourceVpce", "aws:VpceAccount",
];
const SERVICE_ABSENT = [
  "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalType",
  "aws:FederatedProvider", "sts:ExternalId", "kms:CallerAccount", "aws:SourceVpc", "aws:SourceVpce", "aws:VpceAccount",
];

function principalContext(index: DecisionScope, caller: Caller): { context: Record<string, string | string[]>; absent: string[] } {
  switch (caller.kind) {
    case "role": {
      const orgId = caller.orgId === undefined ? index.organizationId : caller.orgId ?? undefined;
      const context: Record<string, string | string[]> = {
        "aws:PrincipalArn": caller.role.arn,
        "aws:PrincipalAccount": caller.role.accountId,
        "aws:PrincipalType": "AssumedRole",
        "aws:PrincipalIsAWSService": "false",
        "aws:SecureTransport": "true",
        "aws:RequestedRegion": index.region,
      };
      if (orgId) context["aws:PrincipalOrgID"] = orgId;
      for (const [key, value] of Object.entries(caller.role.tags)) context[`aws:PrincipalTag/${key}`] = value;
      return { context, absent: [...ROLE_SESSION_ABSENT, ...(orgId ? [] : ["aws:PrincipalOrgID"])] };
    }
    case "web-identity": {
      const issuer = issuerOf(caller.providerArn);
      return {
        context: {
          [`${issuer}:sub`]: caller.sub,
          [`${issuer}:aud`]: caller.aud,
          "aws:FederatedProvider": caller.providerArn,
          "aws:PrincipalType": "WebIdentityUser",
          "aws:PrincipalIsAWSService": "false",
          "aws:SecureTransport": "true",
          "aws:RequestedRegion": index.region,
          "sts:RoleSessionName": caller.session,
        },
        absent: WEB_IDENTITY_ABSENT,
      };
    }
    case "service": {
      const context: Record<string, string | string[]> = {
        "aws:PrincipalServiceName": caller.service,
        "aws:PrincipalIsAWSService": "true",
        "aws:SecureTransport": "true",
        "aws:RequestedRegion": index.region,
      };
      const absent = [...SERVICE_ABSENT];
      if (caller.sourceArn) context["aws:SourceArn"] = caller.sourceArn;
      else absent.push("aws:SourceArn");
      if (caller.sourceAccount) {
        context["aws:SourceAccount"] = caller.sourceAccount;
        if (index.organizationId && index.accounts.includes(caller.sourceAccount)) context["aws:SourceOrgID"] = index.organizationId;
      } else absent.push("aws:SourceAccount", "aws:SourceOrgID");
      return { context, absent };
    }
  }
}

function resourceContext(index: DecisionScope, request: AccessRequest): Record<string, string | string[]> {
  const account = accountOfArn(request.resource);
  const context: Record<string, string | string[]> = { "aws:ResourceAccount": account };
  if (index.organizationId && index.accounts.includes(account)) context["aws:ResourceOrgID"] = index.organizationId;
  const tags = index.roles.get(request.resource)?.tags ?? index.resources.get(request.resource)?.tags ?? {};
  for (const [key, value] of Object.entries(tags)) {
    context[`aws:ResourceTag/${key}`] = value;
    if (request.action.toLowerCase().startsWith("sts:")) context[`iam:ResourceTag/${key}`] = value;
  }
  if (request.caller.kind === "role" && /^sts:AssumeRole/i.test(request.action)) context["sts:RoleSessionName"] = request.caller.session;
  // KMS puts the caller's account in every request of an IAM principal.
  if (request.caller.kind === "role" && /^kms:/i.test(request.action)) context["kms:CallerAccount"] = request.caller.role.accountId;
  if (request.vpcEndpoint) {
    context["aws:SourceVpc"] = request.vpcEndpoint.vpcId;
    context["aws:VpceAccount"] = request.vpcEndpoint.accountId;
    if (index.organizationId && index.accounts.includes(request.vpcEndpoint.accountId)) context["aws:VpceOrgID"] = index.organizationId;
  }
  return context;
}

function defaultResourcePolicy(index: DecisionScope, request: AccessRequest): NamedPolicy | undefined {
  if (/^sts:AssumeRole/i.test(request.action)) return index.roles.get(request.resource)?.trust;
  return index.resources.get(request.resource)?.policy;
}

type Analysis = { allowStatements: any[]; denyStatements: any[]; unmatchedStatements: any[]; result: string } | undefined;

type PolicyNames = Partial<Record<"resource" | "endpoint", string>>;

function statementsOf(analysis: RequestAnalysis, names: PolicyNames = {}): Array<{ where: string; st: any; policy: string }> {
  const parts: Array<[string, Analysis]> = [
    ["identity", analysis.identityAnalysis as Analysis],
    ["resource", analysis.resourceAnalysis as Analysis],
    ["endpoint", analysis.endpointAnalysis as Analysis],
    ["session", analysis.sessionAnalysis as Analysis],
    ["boundary", analysis.permissionBoundaryAnalysis as Analysis],
  ];
  const out: Array<{ where: string; st: any; policy: string }> = [];
  for (const [where, part] of parts) {
    if (!part) continue;
    for (const st of [...part.allowStatements, ...part.denyStatements, ...part.unmatchedStatements]) {
      out.push({ where, st, policy: st.policyId ?? names[where as keyof PolicyNames] ?? where });
    }
  }
  return out;
}

function sidOf(policy: string, st: any): string {
  return `${policy}#${st.statement?.Sid ?? st.explain?.identifier ?? "?"}`;
}

function conditionsOf(explain: StatementExplain) {
  return explain.conditions ?? [];
}

const UNJUDGED_RESOURCE = new Set(["invalidPolicyResourceArn", "requestMissingResource", "unresolvablePolicyVariable", "shortArnExpandedMismatch"]);

/** The strict-context rules on top of Strict mode; throws IncompleteContextError. */
function enforceCompleteContext(
  analysis: RequestAnalysis, result: EvaluationResult, names: PolicyNames, supplied: Record<string, unknown>, absent: Set<string>, gapKeys: Set<string>, describe: string,
): void {
  const present = new Set(Object.keys(supplied).map((k) => k.toLowerCase()));
  const problems: string[] = [];
  for (const { where, st, policy } of statementsOf(analysis, names)) {
    const at = `${where} ${sidOf(policy, st)}`;
    const applicable = st.actionMatch && st.resourceMatch && st.principalMatch !== "NoMatch";
    if (!applicable) continue;
    const effect = String(st.statement?.Effect ?? st.explain?.effect);
    for (const condition of conditionsOf(st.explain)) {
      const key = condition.conditionKeyValue.toLowerCase();
      const valueErrors = [condition.values].flat().flatMap((v) => v?.errors ?? []);
      if (valueErrors.length) problems.push(`${at}: ${condition.operator} ${condition.conditionKeyValue}: ${valueErrors.join("; ")}`);
      if (!(condition.failedBecauseMissing || condition.matchedBecauseMissing)) continue;
      if (gapKeys.has(key)) continue; // supplied; decided again by runUnsafeSimulation below
      if (present.has(key)) {
        problems.push(`${at}: ${condition.conditionKeyValue} was given but the simulator dropped it as not applicable to this action`);
      } else if (!absent.has(key)) {
        problems.push(`${at}: ${condition.operator} on ${condition.conditionKeyValue}, which is neither in the request context nor declared absent`);
      } else if (condition.matchedBecauseMissing && effect === "Allow") {
        problems.push(`${at}: Allow matches only because ${condition.conditionKeyValue} is absent (${condition.operator})`);
      } else if (condition.failedBecauseMissing && effect === "Deny" && result === "Allowed") {
        problems.push(`${at}: allowed only because this Deny does not apply while ${condition.conditionKeyValue} is absent (${condition.operator})`);
      }
    }
    // A Resource that could not be judged (bad ARN, unresolvable policy variable), as opposed to one that differs.
    for (const resource of [st.explain.resources, st.explain.notResources].flat().filter(Boolean)) {
      if (resource.mismatchReason && UNJUDGED_RESOURCE.has(resource.mismatchReason)) problems.push(`${at}: resource ${resource.resource}: ${resource.mismatchReason} ${resource.errors?.join("; ") ?? ""}`);
    }
  }
  if (problems.length) throw new IncompleteContextError(`${describe}: the decision would rest on the request context, not the policies:\n  - ${problems.join("\n  - ")}`);
}

function explainAnalysis(analysis: RequestAnalysis, names: PolicyNames, gapKeys: Set<string>): string {
  const lines: string[] = [];
  for (const { where, st, policy } of statementsOf(analysis, names)) {
    if (!(st.actionMatch && st.resourceMatch)) continue;
    const verdict = st.explain.matches ? `${st.statement?.Effect ?? st.explain.effect}s` : "does not apply";
    const why: string[] = [];
    if (st.principalMatch === "NoMatch") why.push("principal differs");
    for (const c of conditionsOf(st.explain)) {
      if (gapKeys.has(c.conditionKeyValue.toLowerCase())) why.push(`${c.operator} ${c.conditionKeyValue} (claim, decided by runUnsafeSimulation)`);
      else if (!c.matches) why.push(`${c.operator} ${c.conditionKeyValue} fails${c.failedBecauseMissing ? " (key absent)" : ""}`);
    }
    const verdictOf = gapKeys.size ? "evaluated" : verdict;
    lines.push(`${where} ${sidOf(policy, st)} ${verdictOf}${why.length ? `: ${why.join(", ")}` : ""}`);
  }
  return lines.join("; ") || "no statement of any policy names this action and resource";
}

/**
 * A KMS encryption-context key (`kms:EncryptionContext:aws:logs:arn`) the reference lists for the
 * action: the simulator knows such keys only as the pattern `kms:EncryptionContext:${...}` and
 * drops them. A context key on an action that carries none is still an error.
 */
function isEncryptionContextKeyOf(action: string, key: string): boolean {
  const [service, name] = action.split(":");
  if (service !== "kms" || !key.startsWith("kms:encryptioncontext:")) return false;
  const reference = referenceAction(service, name);
  return reference !== undefined && actionSupportsKey(reference, key);
}

/** The decision AWS would make on `request`, from the plan's documents and a full request context. */
export async function decide(index: DecisionScope, request: AccessRequest): Promise<Decision> {
  const { caller } = request;
  const principal = principalArnOf(caller);
  const fromPrincipal = principalContext(index, caller);
  const context: Record<string, string | string[]> = { ...fromPrincipal.context, ...resourceContext(index, request), ...(request.context ?? {}) };
  const suppliedKeys = new Set(Object.keys(context).map((k) => k.toLowerCase()));
  // Through an endpoint aws:SourceVpce is present, but its id is assigned at deploy: not absent, not known.
  const unknown = new Set(request.vpcEndpoint ? ["aws:sourcevpce"] : []);
  const absent = new Set([...fromPrincipal.absent, ...(request.absent ?? [])].map((k) => k.toLowerCase()).filter((k) => !suppliedKeys.has(k) && !unknown.has(k)));
  if (!request.identityPolicies && caller.kind === "role" && caller.role.opaquePolicies.length) {
    throw new Error(`${caller.role.arn} has managed policies the plan cannot show (${caller.role.opaquePolicies.join(", ")}): its decisions cannot be simulated`);
  }
  const identityPolicies = request.identityPolicies ?? (caller.kind === "role" ? caller.role.policies : []);
  const resourcePolicy = request.resourcePolicy === null ? undefined : request.resourcePolicy ?? defaultResourcePolicy(index, request);
  const describe = `${principal} ${request.action} ${request.resource}${request.vpcEndpoint ? ` via ${request.vpcEndpoint.name}` : ""}`;

  const simulation: Simulation = {
    request: {
      principal,
      action: request.action,
      resource: { resource: request.resource, accountId: accountOfArn(request.resource) },
      contextVariables: context,
    },
    identityPolicies: identityPolicies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy: resourcePolicy.policy } : {}),
    ...(request.vpcEndpoint ? { vpcEndpointPolicies: [{ name: request.vpcEndpoint.policy.name, policy: request.vpcEndpoint.policy.policy }] } : {}),
  };
  const response = await runSimulation(simulation, { simulationMode: "Strict" });
  if (response.resultType === "error") throw new Error(`${describe}: iam-simulate refused the simulation: ${JSON.stringify(response.errors)}`);
  if (response.resultType !== "single") throw new Error(`${describe}: a wildcard resource ran ${response.results.length} simulations; ask about one exact ARN`);

  const ignored = (response.result.ignoredContextKeys ?? []).map((k) => k.toLowerCase());
  // The only keys allowed to be dropped (see the header): the claims of the web identity token,
  // and KMS encryption-context keys (`kms:EncryptionContext:<name>`, a key whose name the
  // request chooses, which the simulator's data lists only as a pattern).
  const claimKeys = caller.kind === "web-identity" ? [`${issuerOf(caller.providerArn)}:sub`, `${issuerOf(caller.providerArn)}:aud`].map((k) => k.toLowerCase()) : [];
  const gapKeys = new Set(ignored.filter((k) => claimKeys.includes(k) || isEncryptionContextKeyOf(request.action, k)));
  const dropped = ignored.filter((k) => !gapKeys.has(k));
  if (dropped.length) throw new IncompleteContextError(`${describe}: iam-simulate drops context keys not applicable to ${request.action}: ${dropped.join(", ")}`);
  const analysis = response.result.analysis;
  const names: PolicyNames = { resource: resourcePolicy?.name, endpoint: request.vpcEndpoint?.policy.name };

  let result = response.overallResult;
  let engine: Decision["engine"] = "runSimulation";
  let fallbackVerdicts: { identity?: EvaluationResult; resource?: EvaluationResult } = {};
  if (gapKeys.size) {
    if (request.vpcEndpoint) throw new Error(`${describe}: runUnsafeSimulation cannot evaluate VPC endpoint policies`);
    // runUnsafeSimulation loads the resource policy without a name and then reads its name:
    // hand it the documents runSimulation has just validated, wrapped as validated policies.
    const validated = (policy: NamedPolicy) => ({ __validated: true, policyDocument: policy.policy, metadata: { name: policy.name }, errors: [] });
    const decideWith = (identity: NamedPolicy[], resource: NamedPolicy | undefined) => runUnsafeSimulation({
      ...simulation,
      identityPolicies: identity.map((p) => ({ name: p.name, policy: validated(p) })),
      ...(resource ? { resourcePolicy: validated(resource) } : {}),
    }, { simulationMode: "Strict" });
    result = decideWith(identityPolicies, resourcePolicy);
    engine = "runUnsafeSimulation";
    // It gives the overall result only: each side's verdict is that result with the other side opened up.
    const open = (name: string, principal?: unknown): NamedPolicy => ({
      name, policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", ...(principal ? { Principal: principal } : {}), Action: "*", Resource: "*" }] },
    });
    fallbackVerdicts = {
      // A resource policy granting the caller's account root defers to its identity policies (same account or not).
      identity: caller.kind === "role" ? decideWith(identityPolicies, open("delegating-resource-policy", { AWS: `arn:aws:iam::${caller.role.accountId}:root` })) : undefined,
      resource: resourcePolicy ? decideWith(identityPolicies.length ? [open("any-identity-policy")] : [], resourcePolicy) : undefined,
    };
  }
  enforceCompleteContext(analysis, result, names, context, absent, gapKeys, describe);
  // After a fallback the analysis is the strict run's, which dropped the keys: its per-policy verdicts do not count.
  const fallback = engine === "runUnsafeSimulation";
  return {
    result, analysis, context, engine, describe,
    identity: fallback ? fallbackVerdicts.identity : caller.kind === "role" ? analysis.identityAnalysis?.result : undefined,
    resource: fallback ? fallbackVerdicts.resource : analysis.resourceAnalysis?.result,
    endpoint: analysis.endpointAnalysis?.result,
    explain: `${engine}: ${explainAnalysis(analysis, names, gapKeys)}`,
  };
}

/** For assertion messages: the request and the statements that decided it. */
export function why(decision: Decision): string {
  return `${decision.describe} -> ${decision.result} [${decision.explain}]`;
}
