/**
 * Turns raw stack config into typed settings, or into errors that name the stack, the
 * key and the fix. Nothing here touches Pulumi resources, so a bad file stops a run
 * before anything is declared.
 */
import { z } from "zod";
import { resolveAlertmanagerSettings } from "../../components/alert-pipeline/alertmanager";
import { alertTopicName } from "../../components/alert-pipeline/hub/names";
import { DEFAULT_RULE_SETTINGS, resolveRuleSettings } from "../../components/alert-pipeline/rules";
import { accountOfArn, snsTopicArn } from "../../components/shared/arns";
import { hubAccountStackName, reservedAccountNameReason } from "../contract";
import { unroutedTeams } from "./alert-coverage";
import { organisationSizedDocuments } from "./document-sizes";
import { ConfigError, ConfigErrors } from "./errors";
import { closestMatch } from "./suggest";
import { WorkloadStackRecord, WorkloadStackRecords } from "../contract";
import {
  CONFIG_NAMESPACE,
  HubAccountStackConfig,
  HubStackConfig,
  WorkloadStackConfig,
  hubAccountStackConfigSchema,
  hubStackConfigSchema,
  isDemoCluster,
  workloadStackConfigSchema,
} from "./schema";

function keyOf(path: (string | number)[]): string {
  const [top, ...rest] = path;
  let key = `${CONFIG_NAMESPACE}:${String(top ?? "")}`;
  for (const part of rest) key += typeof part === "number" ? `[${part}]` : `.${part}`;
  return key;
}

function schemaErrors(stack: string, error: z.ZodError): ConfigError[] {
  return error.issues.map((issue) => {
    const key = keyOf(issue.path);
    const missing = issue.code === "invalid_type" && issue.received === "undefined";
    return new ConfigError(
      stack,
      key,
      missing ? "is required but not set" : issue.message,
      missing
        ? `add ${key} to Pulumi.${stack}.yaml (see the README's config reference)`
        : `correct ${key} in Pulumi.${stack}.yaml (see the README's config reference)`,
    );
  });
}

function duplicates<T>(values: T[]): T[] {
  const seen = new Set<T>();
  const repeated = new Set<T>();
  for (const value of values) (seen.has(value) ? repeated : seen).add(value);
  return [...repeated];
}

/** Rules that relate several values of the organisation model. */
function organisationErrors(stack: string, config: HubStackConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const file = `Pulumi.${stack}.yaml`;

  if (config.hub.backend === "self-hosted" && !config.hub.selfHosted) {
    errors.push(new ConfigError(stack, `${CONFIG_NAMESPACE}:hub.selfHosted`, "is required with hub.backend: self-hosted",
      `add ${CONFIG_NAMESPACE}:hub.selfHosted (network, load balancer, login, sizing) to ${file}, or set hub.backend: managed`));
  }
  if (config.hub.backend === "self-hosted" && !config.hub.organizationId) {
    errors.push(new ConfigError(stack, `${CONFIG_NAMESPACE}:hub.organizationId`,
      "is required with hub.backend: self-hosted: the hub key admits every account's collector role by organisation, so that adding an account changes nothing in the shared hub stack",
      `set ${CONFIG_NAMESPACE}:hub.organizationId in ${file} to your AWS Organizations id (o-...)`));
  }
  if (config.hub.backend === "managed" && config.hub.selfHosted) {
    errors.push(new ConfigError(stack, `${CONFIG_NAMESPACE}:hub.selfHosted`, "is set but hub.backend is managed, so it would be ignored",
      `remove ${CONFIG_NAMESPACE}:hub.selfHosted, or set hub.backend: self-hosted`));
  }
  if (accountOfArn(config.hub.deployRoleArn) !== config.hub.accountId) {
    errors.push(new ConfigError(stack, `${CONFIG_NAMESPACE}:hub.deployRoleArn`,
      `role ${config.hub.deployRoleArn} is in account ${accountOfArn(config.hub.deployRoleArn)}, not the hub account ${config.hub.accountId}, so the deployment would land in the wrong account`,
      `use a deploy role that lives in account ${config.hub.accountId}`));
  }
  for (const name of duplicates(config.workloads.map((w) => w.name))) {
    errors.push(new ConfigError(stack, `${CONFIG_NAMESPACE}:workloads`, `account name "${name}" is listed more than once`,
      `give each workload account a unique name in ${file}`));
  }
  for (const id of duplicates(config.workloads.map((w) => w.accountId))) {
    errors.push(new ConfigError(stack, `${CONFIG_NAMESPACE}:workloads`, `account id ${id} is listed more than once`,
      `list each AWS account once in ${file}; put several clusters of one account under its clusters list`));
  }
  config.workloads.forEach((workload, index) => {
    const at = `${CONFIG_NAMESPACE}:workloads[${index}]`;
    const reserved = reservedAccountNameReason(workload.name);
    if (reserved) {
      errors.push(new ConfigError(stack, `${at}.name`,
        `account name "${workload.name}" would name its workload stack like a hub stack: ${reserved}`,
        `rename the account (for example "${workload.name.replace(/^hub-/, "")}-account")`));
    }
    if (workload.accountId === config.hub.accountId) {
      errors.push(new ConfigError(stack, `${at}.accountId`,
        `workload "${workload.name}" uses the hub account ${workload.accountId}`,
        "workload accounts must be separate from the observability hub account: remove it or use its own account"));
    }
    if (accountOfArn(workload.deployRoleArn) !== workload.accountId) {
      errors.push(new ConfigError(stack, `${at}.deployRoleArn`,
        `role ${workload.deployRoleArn} is in account ${accountOfArn(workload.deployRoleArn)}, not ${workload.accountId}, so "${workload.name}" would deploy into the wrong account`,
        `use the deploy role that lives in account ${workload.accountId}`));
    }
    if (config.hub.backend === "self-hosted" && workload.collector.mode === "managed-scraper") {
      errors.push(new ConfigError(stack, `${at}.collector.mode`,
        `"${workload.name}" uses the AMP managed scraper, which writes only to AMP workspaces, but hub.backend is self-hosted`,
        `set ${at}.collector.mode to prometheus (the collector chart writes to the self-hosted hub with the account's token), or set ${CONFIG_NAMESPACE}:hub.backend to managed`));
    }
    if (workload.collector.mode === "managed-scraper" && workload.collector.replicas > 1) {
      errors.push(new ConfigError(stack, `${at}.collector.replicas`,
        `the managed scraper runs in AWS and has no replicas to set (${workload.collector.replicas} given)`,
        `remove ${at}.collector.replicas, or set ${at}.collector.mode to prometheus`));
    }
    for (const name of duplicates(workload.clusters.map((c) => c.name))) {
      errors.push(new ConfigError(stack, `${at}.clusters`, `cluster "${name}" is listed more than once`, "give each cluster a unique name"));
    }
    workload.clusters.forEach((cluster, clusterIndex) => {
      const clusterKey = `${at}.clusters[${clusterIndex}]`;
      if (isDemoCluster(cluster)) {
        if (workload.collector.mode === "managed-scraper") {
          errors.push(new ConfigError(stack, clusterKey, "a demo cluster cannot use the managed scraper (its subnets are not known before it exists)",
            `set ${at}.collector.mode to prometheus, or bring an existing cluster`));
        }
        return;
      }
      if (config.hub.backend === "self-hosted" && cluster.vpcEndpoint) {
        errors.push(new ConfigError(stack, `${clusterKey}.vpcEndpoint`,
          "an aps-workspaces endpoint carries writes to AMP, which a self-hosted hub does not use, so it would be ignored",
          `remove ${clusterKey}.vpcEndpoint; the collectors reach the hub's internal load balancer from the networks in ${CONFIG_NAMESPACE}:hub.selfHosted.collectorCidrs`));
      }
      if (accountOfArn(cluster.oidcProviderArn) !== workload.accountId) {
        errors.push(new ConfigError(stack, `${clusterKey}.oidcProviderArn`,
          `OIDC provider is in account ${accountOfArn(cluster.oidcProviderArn)}, not ${workload.accountId}`,
          `use the IAM OIDC provider of cluster "${cluster.name}" in account ${workload.accountId}`));
      }
      const issuerFromArn = cluster.oidcProviderArn.split(":oidc-provider/")[1];
      if (`https://${issuerFromArn}` !== cluster.oidcIssuerUrl) {
        errors.push(new ConfigError(stack, `${clusterKey}.oidcIssuerUrl`,
          `issuer ${cluster.oidcIssuerUrl} does not match the OIDC provider ARN (${issuerFromArn})`,
          `copy both from 'aws eks describe-cluster --name ${cluster.name} --query cluster.identity.oidc.issuer'`));
      }
      if (workload.collector.mode === "managed-scraper" && cluster.subnetIds.length === 0) {
        errors.push(new ConfigError(stack, `${clusterKey}.subnetIds`, "the managed scraper needs the cluster's subnets",
          `list at least one subnet of cluster "${cluster.name}" (aws eks describe-cluster --query cluster.resourcesVpcConfig.subnetIds)`));
      }
    });
  });
  return errors;
}

/** Environments that may use plain HTTP and open endpoints (nothing of value crosses them). */
export const DEVELOPMENT_ENVIRONMENTS = ["dev"];

/** Reachability and transport of the clusters and the unified query endpoint. */
function networkErrors(stack: string, config: HubStackConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const development = DEVELOPMENT_ENVIRONMENTS.includes(config.environment);
  const openToAll = (cidrs: string[]) => cidrs.includes("0.0.0.0/0");
  config.workloads.forEach((workload, index) => workload.clusters.forEach((cluster, clusterIndex) => {
    if (!isDemoCluster(cluster) || development) return;
    const endpoint = cluster.create.apiEndpoint;
    if (endpoint.access === "public" && openToAll(endpoint.allowedCidrs)) {
      const key = `${CONFIG_NAMESPACE}:workloads[${index}].clusters[${clusterIndex}].create.apiEndpoint`;
      errors.push(new ConfigError(stack, key, `the Kubernetes API of "${cluster.name}" would be open to the whole internet in environment ${config.environment}`,
        `set ${key} to { access: public, allowedCidrs: [<your CI runners' egress CIDRs>] } or { access: private } with pulumi running inside the VPC`));
    }
  }));

  const unified = config.unifiedQuery;
  if (!unified) return errors;
  const at = `${CONFIG_NAMESPACE}:unifiedQuery`;
  if (unified.cluster.kind === "create") {
    const endpoint = unified.cluster.apiEndpoint;
    if (endpoint.access === "public" && openToAll(endpoint.allowedCidrs) && !development) {
      errors.push(new ConfigError(stack, `${at}.cluster.apiEndpoint.allowedCidrs`, `the Promxy cluster's Kubernetes API would be open to the whole internet in environment ${config.environment}`,
        "list only the egress CIDRs of the machines that run pulumi, or use { access: private } with pulumi running inside the VPC"));
    }
  }
  const { exposure } = unified;
  if (!exposure.certificateArn && !development) {
    errors.push(new ConfigError(stack, `${at}.exposure.certificateArn`,
      `Promxy's basic-auth credentials would cross the load balancer over plain HTTP in environment ${config.environment}`,
      `issue an ACM certificate for a name such as promxy.<your domain> and set ${at}.exposure.certificateArn and ${at}.exposure.hostname (plain HTTP is accepted in ${DEVELOPMENT_ENVIRONMENTS.join(", ")} only)`));
  }
  if (exposure.certificateArn && !exposure.hostname) {
    errors.push(new ConfigError(stack, `${at}.exposure.hostname`, "a certificate is set but no hostname: Grafana would call the ALB's own DNS name, which the certificate does not cover",
      `set ${at}.exposure.hostname to the name on the certificate and point that name at the ALB`));
  }
  if (exposure.certificateArn && accountOfArn(exposure.certificateArn) !== config.hub.accountId) {
    errors.push(new ConfigError(stack, `${at}.exposure.certificateArn`, `certificate ${exposure.certificateArn} is not in the hub account ${config.hub.accountId}`,
      "an ALB can only use an ACM certificate of its own account and region: import or request it in the hub account"));
  }
  if (exposure.internal && !grafanaSubnetIdsOf(unified)) {
    errors.push(new ConfigError(stack, `${at}.grafanaSubnetIds`, "Promxy is internal but Grafana has no network interface in its VPC, so the \"All accounts\" data source could never connect",
      `set ${at}.grafanaSubnetIds to private subnets (two or more zones) of ${unified.cluster.vpcId}, or make the exposure internet-facing with allowedCidrs`));
  }
  return errors;
}

/** Documents that list accounts (no organisation id) must still fit their quotas. */
function documentSizeErrors(stack: string, config: HubStackConfig): ConfigError[] {
  if (config.hub.organizationId) return [];
  return organisationSizedDocuments(config).filter((d) => d.size > d.limit).map((d) => new ConfigError(stack, `${CONFIG_NAMESPACE}:hub.organizationId`,
    `without an organisation id, ${d.document} lists each of the ${config.workloads.length} accounts and would be ${d.size} characters, over AWS's limit of ${d.limit}`,
    `set ${CONFIG_NAMESPACE}:hub.organizationId to your AWS Organizations id (o-...): the document then scopes by organisation and keeps one size at any number of accounts`));
}

/** Where Grafana's VPC interfaces go: the configured subnets, or the created cluster's. */
export function grafanaSubnetIdsOf(unified: NonNullable<HubStackConfig["unifiedQuery"]>): string[] | undefined {
  if (unified.grafanaSubnetIds && unified.grafanaSubnetIds.length > 0) return unified.grafanaSubnetIds;
  return unified.cluster.kind === "create" ? unified.cluster.privateSubnetIds : undefined;
}

/** Teams that alerts can carry: every account's team and every team its rules name. */
function alertTeams(config: HubStackConfig): Set<string> {
  const teams = new Set<string>([DEFAULT_RULE_SETTINGS.team, ...Object.values(DEFAULT_RULE_SETTINGS.teams).filter((t): t is string => !!t)]);
  for (const workload of config.workloads) {
    teams.add(workload.team);
    if (workload.rules.team) teams.add(workload.rules.team);
    for (const team of Object.values(workload.rules.teams ?? {})) if (team) teams.add(team);
  }
  return teams;
}

/** Rules of the alert pipeline: destinations, routes, per-account alarms and rule overrides. */
function alertingErrors(stack: string, config: HubStackConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const file = `Pulumi.${stack}.yaml`;
  const at = `${CONFIG_NAMESPACE}:alerting`;
  const { destinations, routes } = config.alerting;
  const names = destinations.map((d) => d.name);

  for (const name of duplicates(names)) {
    errors.push(new ConfigError(stack, `${at}.destinations`, `destination "${name}" is listed more than once`, `give each destination a unique name in ${file}`));
  }
  destinations.forEach((destination, index) => {
    const key = `${at}.destinations[${index}]`;
    if (destination.type === "jira" && !destination.jira) {
      errors.push(new ConfigError(stack, `${key}.jira`, `Jira destination "${destination.name}" has no project`,
        `add jira: { projectKey: OPS, issueType: Task } (your project key and issue type) to ${key}`));
    }
    if (destination.type !== "jira" && destination.jira) {
      errors.push(new ConfigError(stack, `${key}.jira`, `destination "${destination.name}" is of type ${destination.type}, so its jira settings would be ignored`,
        `remove ${key}.jira or set type: jira`));
    }
  });
  const teams = alertTeams(config);
  routes.forEach((route, index) => {
    const key = `${at}.routes[${index}]`;
    if (!names.includes(route.destination)) {
      errors.push(new ConfigError(stack, `${key}.destination`, `routes alerts to "${route.destination}", which is not a destination (destinations: ${names.join(", ")})`,
        `add "${route.destination}" to ${at}.destinations or route to one of the listed destinations`));
    }
    for (const team of route.teams ?? []) {
      if (!teams.has(team)) {
        errors.push(new ConfigError(stack, `${key}.teams`, `team "${team}" is carried by no alert (teams: ${[...teams].sort().join(", ")}), so this route would never match it`,
          `use a team of a workload account or of its rules, or fix the spelling`));
      }
    }
  });
  for (const name of duplicates(routes.map((r) => r.destination))) {
    errors.push(new ConfigError(stack, `${at}.routes`, `destination "${name}" has more than one route`,
      `merge its routes into one (each list is a set of accepted values) in ${file}`));
  }

  // The topic ARN is deterministic, so the definition AMP will receive can be checked now.
  try {
    resolveAlertmanagerSettings({ region: config.hub.region, topicArn: snsTopicArn(config.hub.region, config.hub.accountId, alertTopicName(config.environment)) },
      config.alerting.alertmanager, `${at}.alertmanager`);
  } catch (error) {
    errors.push(new ConfigError(stack, `${at}.alertmanager`, (error as Error).message, `correct ${at}.alertmanager in ${file}`));
  }

  config.workloads.forEach((workload, index) => {
    const key = `${CONFIG_NAMESPACE}:workloads[${index}]`;
    for (const repeated of duplicates(workload.alarms.map((a) => `${a.preset} on ${a.resource}`))) {
      errors.push(new ConfigError(stack, `${key}.alarms`, `alarm ${repeated} is declared more than once`, "list each preset and resource once"));
    }
    try {
      resolveRuleSettings(workload.rules, `${key}.rules`);
    } catch (error) {
      errors.push(new ConfigError(stack, `${key}.rules`, (error as Error).message, `correct the rule overrides of "${workload.name}" in ${file}`));
    }
  });
  // Routing is only judged on routes and rules that are themselves valid.
  if (errors.length === 0) errors.push(...routingErrors(stack, config));
  return errors;
}

/** Every alert must reach a destination: the notifier dead-letters what no route matches. */
function routingErrors(stack: string, config: HubStackConfig): ConfigError[] {
  const at = `${CONFIG_NAMESPACE}:alerting.routes`;
  return unroutedTeams(config).map(({ team, accounts, severities }) => {
    const levels = severities.map((s) => `${s.severity} (from ${s.sources.map((source) => (source === "amp" ? "AMP rules" : "CloudWatch alarms")).join(" and ")})`);
    return new ConfigError(stack, at,
      `alerts of team "${team}" (account${accounts.length > 1 ? "s" : ""} ${accounts.join(", ")}) with severity ${levels.join(", ")} reach no destination: every route excludes them, so the notifier would dead-letter them as unrouted`,
      `add "${team}" to the teams of a route (or severities ${severities.map((s) => s.severity).join(", ")} to a route for all teams), or add a destination without a route, which receives every alert`);
  });
}

const HUB_KEYS = Object.keys(hubStackConfigSchema.shape);
const WORKLOAD_KEYS = Object.keys(hubAccountStackConfigSchema.shape);

/**
 * `observability:*` keys the program does not read. Unrefused, a misspelt key silently
 * drops what it configures (a misspelt `unifiedQuery` removes Promxy and its data source).
 */
function unknownKeyErrors(stack: string, raw: Record<string, unknown>, kind: "hub" | "workload"): ConfigError[] {
  const [known, other] = kind === "hub" ? [HUB_KEYS, WORKLOAD_KEYS] : [WORKLOAD_KEYS, HUB_KEYS];
  const file = `Pulumi.${stack}.yaml`;
  if (kind === "hub" && raw.hubStack !== undefined) {
    return [new ConfigError(stack, `${CONFIG_NAMESPACE}:hubStack`, `${file} is a workload stack (it names hub stack ${String(raw.hubStack)}), not the hub stack of an environment`,
      `use the hub stack of its environment, Pulumi.<env>.yaml, which lists this account under ${CONFIG_NAMESPACE}:workloads`)];
  }
  return Object.keys(raw).filter((key) => !known.includes(key)).map((key) => {
    const at = `${CONFIG_NAMESPACE}:${key}`;
    if (other.includes(key)) {
      return kind === "hub"
        ? new ConfigError(stack, at, `"${key}" is a setting of a workload stack, but ${file} has no ${CONFIG_NAMESPACE}:hubStack, so it is read as a hub stack and would ignore it`,
          `for a workload stack, set ${CONFIG_NAMESPACE}:hubStack as well; for the hub stack of an environment, remove ${at}`)
        : new ConfigError(stack, at, `"${key}" is a setting of the hub stack; a workload stack reads its account's settings from the hub's outputs and would ignore it`,
          `move it to the hub stack's Pulumi.<env>.yaml (the organisation model), or remove it from ${file}`);
    }
    const suggestion = closestMatch(key, known);
    return new ConfigError(stack, at, `"${key}" is not a setting of a ${kind} stack, so it would be ignored${suggestion ? ` (did you mean ${suggestion}?)` : ""}`,
      suggestion
        ? `rename it to ${CONFIG_NAMESPACE}:${suggestion} in ${file}`
        : `remove it from ${file}; ${kind} stack settings are ${known.map((k) => `${CONFIG_NAMESPACE}:${k}`).join(", ")}`);
  });
}

/** A hub stack is named after its environment: every resource name and workload stack name derives from it. */
function environmentError(stack: string, raw: Record<string, unknown>): ConfigError[] {
  const environment = raw.environment;
  if (typeof environment !== "string" || environment === stack) return [];
  return [new ConfigError(stack, `${CONFIG_NAMESPACE}:environment`,
    `Pulumi.${stack}.yaml says environment "${environment}", which does not match its stack name "${stack}" (the hub stack of an environment is named after it, and its workload stacks are ${stack}-<account>)`,
    `set ${CONFIG_NAMESPACE}:environment: ${stack} in Pulumi.${stack}.yaml, or, if this is the organisation model of ${environment}, keep it in Pulumi.${environment}.yaml and run stack ${environment}`)];
}

/** Reads `observability:*` of a hub stack. `raw` maps config keys without the namespace to parsed values. */
export function validateHubConfig(stack: string, raw: Record<string, unknown>): HubStackConfig {
  const fileErrors = [...unknownKeyErrors(stack, raw, "hub"), ...environmentError(stack, raw)];
  const parsed = hubStackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigErrors([...fileErrors, ...schemaErrors(stack, parsed.error)]);
  const errors = [
    ...fileErrors,
    ...organisationErrors(stack, parsed.data),
    ...networkErrors(stack, parsed.data),
    ...alertingErrors(stack, parsed.data),
    ...documentSizeErrors(stack, parsed.data),
  ];
  if (errors.length > 0) throw new ConfigErrors(errors);
  return parsed.data;
}

export function validateWorkloadStackConfig(stack: string, raw: Record<string, unknown>): WorkloadStackConfig {
  const fileErrors = unknownKeyErrors(stack, raw, "workload");
  const parsed = workloadStackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigErrors([...fileErrors, ...schemaErrors(stack, parsed.error)]);
  if (raw.account !== undefined && parsed.data.hubPart !== "account") {
    fileErrors.push(new ConfigError(stack, `${CONFIG_NAMESPACE}:account`, "only an account's hub stack (hubPart: account) reads an account entry",
      `remove ${CONFIG_NAMESPACE}:account from Pulumi.${stack}.yaml; a workload stack reads its account's settings from its hub stack`));
  }
  if (fileErrors.length > 0) throw new ConfigErrors(fileErrors);
  return parsed.data;
}

/** An account's hub stack: its keys and its account's entry, which must be the account it names. */
export function validateHubAccountStackConfig(stack: string, raw: Record<string, unknown>): HubAccountStackConfig {
  const fileErrors = unknownKeyErrors(stack, raw, "workload");
  const parsed = hubAccountStackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigErrors([...fileErrors, ...schemaErrors(stack, parsed.error)]);
  if (parsed.data.account.name !== parsed.data.accountName) {
    fileErrors.push(new ConfigError(stack, `${CONFIG_NAMESPACE}:account.name`,
      `the account entry is "${parsed.data.account.name}", but the stack is for account "${parsed.data.accountName}"`,
      `set ${CONFIG_NAMESPACE}:account to the entry of "${parsed.data.accountName}" in Pulumi.<env>.yaml (npm run deploy sets it)`));
  }
  if (fileErrors.length > 0) throw new ConfigErrors(fileErrors);
  return parsed.data;
}

/**
 * Finds this workload stack's account in the hub's `workloads` output and checks that the
 * stack, the account and the deploy credentials agree, before anything is declared.
 */
export function resolveWorkloadRecord(
  stack: string,
  config: WorkloadStackConfig,
  records: WorkloadStackRecords | undefined,
): WorkloadStackRecord {
  const accountKey = `${CONFIG_NAMESPACE}:accountName`;
  if (records === undefined) {
    const accountHub = hubAccountStackName(config.hubStack, config.accountName);
    throw new ConfigError(stack, `${CONFIG_NAMESPACE}:hubStack`,
      `the hub stack of account "${config.accountName}", "${accountHub}", has no "workloads" output`,
      `register the account in the workloads of the hub's Pulumi.<env>.yaml and deploy the hub first (npm run deploy runs ${config.hubStack}, then ${accountHub}), ` +
      `or fix ${CONFIG_NAMESPACE}:hubStack / ${CONFIG_NAMESPACE}:accountName`);
  }
  const record = records[config.accountName];
  if (record === undefined) {
    const known = Object.keys(records).sort().join(", ") || "none";
    throw new ConfigError(stack, accountKey,
      `account "${config.accountName}" is not registered in hub stack "${config.hubStack}" (registered: ${known})`,
      `add it to the workloads list of the hub's Pulumi.<env>.yaml and run pulumi up on the hub first, or fix the name`);
  }
  const expectedStack = `${record.environment}-${record.accountName}`;
  if (stack !== expectedStack) {
    throw new ConfigError(stack, accountKey,
      `a stack for account "${record.accountName}" of environment "${record.environment}" must be named "${expectedStack}"`,
      `run it as 'pulumi up -s ${expectedStack}', or fix ${accountKey} / ${CONFIG_NAMESPACE}:hubStack`);
  }
  const deployRoleArn = config.deployRoleArn ?? record.deployRoleArn;
  const deployAccount = accountOfArn(deployRoleArn);
  if (deployAccount !== record.accountId) {
    throw new ConfigError(stack, `${CONFIG_NAMESPACE}:deployRoleArn`,
      `deploy role ${deployRoleArn} is in account ${deployAccount}, but "${record.accountName}" is account ${record.accountId}`,
      `use a deploy role that lives in account ${record.accountId}`);
  }
  return { ...record, deployRoleArn };
}
