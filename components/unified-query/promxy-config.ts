/**
 * Promxy configuration rendered from the hub's workspaces: one server group per AMP
 * workspace, so Grafana sees every account through one Prometheus data source.
 *
 * - Each group adds an `account` label to everything it returns: two accounts with the
 *   same series (same cluster name, same job) stay two series instead of being merged.
 * - AMP has no remote read, so `remote_read: false` (Promxy then uses the query API).
 * - `downgrade_error` turns a failing workspace into a warning on the response: one
 *   unreachable or throttled workspace degrades a query instead of failing it.
 * - Signing: Promxy >= v0.0.94 signs with SigV4 itself (`http_client.sigv4`) using the
 *   pod's IRSA credentials; the sidecar mode sends plain HTTP to a local aws-sigv4-proxy
 *   that signs and forwards to the AMP query host.
 *
 * Only options that Promxy v0.0.94 knows are written (newer ones such as `name` would be
 * refused by an older binary's strict YAML parsing).
 */
import YAML from "yaml";
import { ampQueryHost } from "../shared/arns";

export type SigV4Mode = "native" | "sidecar";

export interface PromxyWorkspace {
  /** Workload account name; becomes the `account` label of its series. */
  accountName: string;
  /** AMP workspace id (`ws-...`). */
  workspaceId: string;
}

export interface PromxyConfigSettings {
  region: string;
  workspaces: PromxyWorkspace[];
  sigv4Mode: SigV4Mode;
  /** Role Promxy assumes before signing (native mode). Omit to sign with the pod's own IRSA role. */
  queryRoleArn?: string;
  /** host:port of the signing sidecar (sidecar mode). */
  sidecarAddress?: string;
  /** How long to wait for a workspace's response headers. */
  queryTimeout?: string;
  /** How long to wait for a connection to a workspace. */
  dialTimeout?: string;
  /** Hide a failing workspace's error entirely instead of returning it as a warning. */
  hideWorkspaceErrors?: boolean;
}

export const DEFAULT_SIDECAR_ADDRESS = "127.0.0.1:8005";
export const ACCOUNT_LABEL = "account";

function validate(settings: PromxyConfigSettings): void {
  // Built here rather than when the file loads, so the tests that validate run them.
  /** AMP ids are `ws-<uuid>`; the offline plan marks them `ws-known-at-deploy-<alias>`, so only the shape is checked. */
  const WORKSPACE_ID = /^ws-[A-Za-z0-9-]{1,64}$/;
  const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
  const DURATION = /^\d+(ms|s|m)$/;
  const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
  if (!REGION.test(settings.region)) {
    throw new Error(`Promxy config: region "${settings.region}" is not an AWS region name such as eu-west-1`);
  }
  if (settings.workspaces.length === 0) {
    throw new Error("Promxy config: no workspaces; unified query needs at least one workload account");
  }
  const accounts = new Set<string>();
  const ids = new Set<string>();
  for (const { accountName, workspaceId } of settings.workspaces) {
    if (accountName.trim() === "") throw new Error(`Promxy config: workspace ${workspaceId} has an empty account name`);
    if (!WORKSPACE_ID.test(workspaceId)) {
      throw new Error(`Promxy config: workspace id "${workspaceId}" of account "${accountName}" is not an AMP workspace id (ws-<uuid>)`);
    }
    if (accounts.has(accountName)) throw new Error(`Promxy config: account "${accountName}" is listed twice; its series would be indistinguishable`);
    if (ids.has(workspaceId)) throw new Error(`Promxy config: workspace ${workspaceId} is listed twice`);
    accounts.add(accountName);
    ids.add(workspaceId);
  }
  for (const [key, value] of [
    ["queryTimeout", settings.queryTimeout],
    ["dialTimeout", settings.dialTimeout],
  ] as const) {
    if (value !== undefined && !DURATION.test(value)) throw new Error(`Promxy config: ${key} "${value}" is not a duration such as 30s`);
  }
  if (settings.queryRoleArn !== undefined && !ROLE_ARN.test(settings.queryRoleArn)) {
    throw new Error(`Promxy config: queryRoleArn "${settings.queryRoleArn}" is not an IAM role ARN`);
  }
  if (settings.sigv4Mode === "sidecar" && settings.queryRoleArn !== undefined) {
    throw new Error("Promxy config: queryRoleArn applies to native signing only; the sidecar signs with the pod's IRSA role");
  }
}

function serverGroup(settings: PromxyConfigSettings, workspace: PromxyWorkspace): Record<string, unknown> {
  const native = settings.sigv4Mode === "native";
  const httpClient: Record<string, unknown> = { dial_timeout: settings.dialTimeout ?? "2s" };
  if (native) {
    httpClient.sigv4 = settings.queryRoleArn
      ? { region: settings.region, role_arn: settings.queryRoleArn }
      : { region: settings.region };
  }
  return {
    static_configs: [{ targets: [native ? ampQueryHost(settings.region) : settings.sidecarAddress ?? DEFAULT_SIDECAR_ADDRESS] }],
    scheme: native ? "https" : "http",
    path_prefix: `/workspaces/${workspace.workspaceId}`,
    labels: { [ACCOUNT_LABEL]: workspace.accountName },
    remote_read: false,
    // AMP stores each series once per workspace: no replicas to merge inside a group.
    anti_affinity: "10s",
    timeout: settings.queryTimeout ?? "30s",
    http_client: httpClient,
    downgrade_error: !settings.hideWorkspaceErrors,
    ignore_error: settings.hideWorkspaceErrors === true,
  };
}

/** The Promxy config file (YAML), server groups ordered by account name. */
export function renderPromxyConfig(settings: PromxyConfigSettings): string {
  validate(settings);
  const workspaces = [...settings.workspaces].sort((a, b) => a.accountName.localeCompare(b.accountName));
  const doc = new YAML.Document({ promxy: { server_groups: workspaces.map((ws) => serverGroup(settings, ws)) } });
  doc.commentBefore = ` Promxy: one server group per AMP workspace (${settings.region}, SigV4 ${settings.sigv4Mode}). Generated; do not edit.`;
  return doc.toString({ lineWidth: 0 });
}
