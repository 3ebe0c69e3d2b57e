/**
 * The AWS service quotas this design consumes, with their DEFAULT values (an account may
 * already hold a raised value: the preflight checks against the default, which is what a
 * fresh account has). Each value says where it was checked and how firmly:
 *
 * - "aws-doc": the row was read on the AWS documentation page named in `source`;
 * - "secondary": the AWS page is named, but its row could not be read there; the value and
 *   adjustability agree across the secondary sources named in `note`;
 * - "unconfirmed": only an older or third-party listing gives the value: treat it as a hint
 *   and check the Service Quotas console before relying on it.
 *
 * Quotas whose consumption does not grow with the organisation and that no AWS page limits
 * (Grafana data sources, dashboards and folders per workspace; CloudWatch alarm count) are
 * counted as notes, not checked here: see `usage.ts`. Document-size quotas (policies, event
 * patterns, Lambda environment) belong to `policies/analysis/quotas.ts`.
 */

export type QuotaId =
  | "amp-workspaces"
  | "amp-rule-namespaces"
  | "amp-rules"
  | "amp-alertmanager-routes"
  | "amp-alertmanager-inhibit-rules"
  | "amp-alertmanager-templates"
  | "iam-roles"
  | "grafana-workspaces"
  | "eventbridge-rules"
  | "eventbridge-targets"
  | "eventbridge-buses"
  | "sns-subscriptions";

export type Verification = "aws-doc" | "secondary" | "unconfirmed";

/** What one unit of the quota is counted over. */
export type QuotaUnit = "account-region" | "account" | "workspace" | "event-bus" | "rule" | "topic";

export interface QuotaDefinition {
  id: QuotaId;
  /** The quota's name as AWS lists it. */
  name: string;
  /** Display name of the service. */
  service: string;
  /** Service Quotas service code (for `aws service-quotas request-service-quota-increase`). */
  serviceCode: string;
  /** Service Quotas quota code, when known. */
  quotaCode?: string;
  unit: QuotaUnit;
  /** Default value in a region (some quotas differ by region). */
  defaultLimit(region: string): number;
  adjustable: boolean;
  /** The highest value an increase can reach, when AWS states one. */
  maximum?: number;
  verified: Verification;
  /** Title of the AWS documentation page that lists the quota. */
  source: string;
  note?: string;
}

const AMP = "Amazon Managed Service for Prometheus";
const AMP_PAGE = "Amazon Managed Service for Prometheus service quotas (AMP User Guide)";
/**
 * An older Service Quotas listing of `aps` (public dump of list-aws-default-service-quotas,
 * taken when workspaces per region were still 10): the only source found for the per-workspace
 * counts below. The current AMP page could not be read past its first rows here.
 */
const OLDER_APS_LISTING = "older Service Quotas listing of aps (public dump); the current AMP page's row could not be read here";

/** A per-workspace alertmanager-definition quota of the older aps listing: 100, adjustable, unconfirmed. */
function alertmanagerDefinitionQuota(id: QuotaId, name: string): QuotaDefinition {
  return { id, name, service: AMP, serviceCode: "aps", unit: "workspace", defaultLimit: () => 100, adjustable: true, verified: "unconfirmed", source: AMP_PAGE, note: OLDER_APS_LISTING };
}

export const QUOTAS: Readonly<Record<QuotaId, QuotaDefinition>> = {
  "amp-workspaces": {
    id: "amp-workspaces",
    name: "Workspaces per region per account",
    service: AMP,
    serviceCode: "aps",
    // Quota code: public quota-monitoring catalogs ('aps', 'L-8873DB23', "Workspaces per region per account").
    quotaCode: "L-8873DB23",
    unit: "account-region",
    // 25, adjustable: FACTS.md ("25 workspaces per region per account by default (adjustable)") and a
    // public summary of the AMP quota table ("Workspaces per region per account | 25 | adjustable").
    // The AMP page's own row was not readable in the stored copy.
    defaultLimit: () => 25,
    adjustable: true,
    verified: "secondary",
    source: AMP_PAGE,
    note: "value 25 and adjustable from FACTS.md and a public summary of the AMP quota table; code L-8873DB23 from public Service Quotas catalogs",
  },
  "amp-rule-namespaces": {
    id: "amp-rule-namespaces",
    name: "Rule group namespaces per workspace",
    service: AMP,
    serviceCode: "aps",
    unit: "workspace",
    // 10, adjustable: OLDER_APS_LISTING only. Not confirmed against the current AMP page.
    defaultLimit: () => 10,
    adjustable: true,
    verified: "unconfirmed",
    source: AMP_PAGE,
    note: OLDER_APS_LISTING,
  },
  "amp-rules": {
    id: "amp-rules",
    name: "Rules per workspace",
    service: AMP,
    serviceCode: "aps",
    unit: "workspace",
    // 2,000 recording + alerting rules, adjustable: a public write-up of the AMP quota table
    // ("Rules per workspace | 2,000 | adjustable"). The older listing instead had
    // "Rule groups per workspace 100" and "Rules per rule group 20". Not confirmed on the AMP page.
    defaultLimit: () => 2000,
    adjustable: true,
    verified: "unconfirmed",
    source: AMP_PAGE,
    note: "public write-up of the AMP quota table; an older listing had 100 rule groups per workspace and 20 rules per group instead",
  },
  // 100 each, adjustable: OLDER_APS_LISTING ("Nodes on routing tree", "Inhibition rules" and
  // "Templates" per alert manager definition).
  "amp-alertmanager-routes": alertmanagerDefinitionQuota("amp-alertmanager-routes", "Nodes in alert manager routing tree"),
  "amp-alertmanager-inhibit-rules": alertmanagerDefinitionQuota("amp-alertmanager-inhibit-rules", "Inhibition rules in alert manager definition file"),
  "amp-alertmanager-templates": alertmanagerDefinitionQuota("amp-alertmanager-templates", "Templates in alert manager definition file"),
  "iam-roles": {
    id: "iam-roles",
    name: "Roles per account",
    service: "AWS Identity and Access Management (IAM)",
    serviceCode: "iam",
    quotaCode: "L-FE177D64",
    unit: "account",
    // "IAM and AWS STS quotas" (IAM User Guide), IAM object quotas: roles in an AWS account,
    // default 1,000, can be increased to 5,000. The stored copy of the page ends before that
    // table; value, adjustability, maximum and code agree across public quota tools
    // (Service Quotas `iam` L-FE177D64 "Roles per account", 1,000, adjustable, max 5,000).
    defaultLimit: () => 1000,
    adjustable: true,
    maximum: 5000,
    verified: "secondary",
    source: "IAM and AWS STS quotas (IAM User Guide)",
    note: "IAM is global: one count per account, all regions",
  },
  "grafana-workspaces": {
    id: "grafana-workspaces",
    name: "Number of workspaces",
    service: "Amazon Managed Grafana",
    serviceCode: "grafana",
    quotaCode: "L-2C2D5119",
    unit: "account-region",
    // "Amazon Managed Grafana service quotas": Number of workspaces, each supported Region: 5,
    // adjustable (the row links Service Quotas L-2C2D5119). The page lists no limit on data
    // sources, dashboards or folders per workspace (only workspace count and API rates).
    defaultLimit: () => 5,
    adjustable: true,
    verified: "aws-doc",
    source: "Amazon Managed Grafana service quotas (AMG User Guide)",
  },
  "eventbridge-rules": {
    id: "eventbridge-rules",
    name: "Number of rules",
    service: "Amazon EventBridge",
    serviceCode: "events",
    quotaCode: "L-244521F2",
    unit: "event-bus",
    // "Amazon EventBridge quotas": Number of rules, "Maximum number of rules an account can have
    // per event bus": af-south-1 100, eu-south-1 100, each other supported Region 300; adjustable
    // (L-244521F2).
    defaultLimit: (region) => (region === "af-south-1" || region === "eu-south-1" ? 100 : 300),
    adjustable: true,
    verified: "aws-doc",
    source: "Amazon EventBridge quotas (EventBridge User Guide)",
  },
  "eventbridge-targets": {
    id: "eventbridge-targets",
    name: "Targets per rule",
    service: "Amazon EventBridge",
    serviceCode: "events",
    unit: "rule",
    // "Amazon EventBridge quotas": Targets per rule, each supported Region: 5, not adjustable.
    defaultLimit: () => 5,
    adjustable: false,
    verified: "aws-doc",
    source: "Amazon EventBridge quotas (EventBridge User Guide)",
  },
  "eventbridge-buses": {
    id: "eventbridge-buses",
    name: "Event buses",
    service: "Amazon EventBridge",
    serviceCode: "events",
    quotaCode: "L-658A4FD9",
    unit: "account-region",
    // "Amazon EventBridge quotas": Event buses, each supported Region: 100, adjustable
    // (L-658A4FD9). The same page's "[EventsV2] Event Buses" (5) is for the newer bus kind;
    // this program's bus routes with rules and targets (the classic kind).
    defaultLimit: () => 100,
    adjustable: true,
    verified: "aws-doc",
    source: "Amazon EventBridge quotas (EventBridge User Guide)",
  },
  "sns-subscriptions": {
    id: "sns-subscriptions",
    name: "Subscriptions per standard topic",
    service: "Amazon SNS",
    serviceCode: "sns",
    unit: "topic",
    // 12,500,000: the value several public references quote from "Amazon Simple Notification
    // Service endpoints and quotas" (AWS General Reference); the page's quota rows were not
    // readable in the stored copy. Whether it is adjustable was not confirmed: treated as not
    // adjustable, so going over it would block rather than become a request.
    defaultLimit: () => 12_500_000,
    adjustable: false,
    verified: "secondary",
    source: "Amazon Simple Notification Service endpoints and quotas (AWS General Reference)",
    note: "adjustability not confirmed: treated as fixed",
  },
};

/** At or above this share of the limit a quota is "near": request the increase before growing. */
export const NEAR_RATIO = 0.8;
