/**
 * Documents whose size depends on the organisation model when no organisation id scopes
 * them: without `hub.organizationId`, Grafana's role lists every account's CloudWatch read
 * role and the alert bus lists every account. Measured here with the same builders and
 * the same quotas the pack applies, so an organisation that outgrows them hears it from
 * validation, naming the key that fixes it, rather than from AWS mid-deploy.
 */
import { alertBusPolicy } from "../../components/alert-pipeline/hub/documents";
import { hubAlertBusArn } from "../../components/alert-pipeline/hub/names";
import { grafanaRolePolicy } from "../../components/observability-hub/managed-grafana";
import { ENVIRONMENT_TAG, cloudWatchReadRoleName } from "../../components/shared/naming";
import { QUOTAS, QuotaKind, measureText } from "../../policies/analysis/quotas";
import { HubStackConfig } from "./schema";

export interface GrownDocument {
  document: string;
  quota: QuotaKind;
  size: number;
  limit: number;
}

/** A key ARN of the length AWS gives, where the real one is only known at deploy. */
const KEY_ARN_PLACEHOLDER = (region: string, accountId: string) => `arn:aws:kms:${region}:${accountId}:key/00000000-0000-0000-0000-000000000000`;

export function organisationSizedDocuments(config: HubStackConfig): GrownDocument[] {
  const { hub, environment, workloads } = config;
  const accountIds = workloads.map((w) => w.accountId);
  const grafana = grafanaRolePolicy({
    accountId: hub.accountId,
    region: hub.region,
    queryScope: { region: hub.region, accountId: hub.accountId, tagKey: ENVIRONMENT_TAG, tagValue: environment },
    cloudWatchReadRoles: { roleName: cloudWatchReadRoleName(environment), accountIds, organizationId: hub.organizationId },
    workspaceKeyArn: hub.amp.customerManagedKey ? KEY_ARN_PLACEHOLDER(hub.region, hub.accountId) : undefined,
  });
  const bus = alertBusPolicy(hubAlertBusArn(environment, hub.accountId, hub.region), hub.region, accountIds, hub.organizationId);
  const measure = (document: string, quota: QuotaKind, value: unknown): GrownDocument =>
    ({ document, quota, size: measureText(JSON.stringify(value), QUOTAS[quota].unit), limit: QUOTAS[quota].limit });
  return [
    measure("the Grafana workspace role's inline policy", "iam-role-inline-policies", grafana),
    measure("the alert bus policy", "eventbridge-bus-policy", bus),
  ];
}
