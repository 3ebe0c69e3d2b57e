/** What the rules read and what they return: plain data, no Pulumi runtime. */

/** One resource as the offline plan records it (and as the pack adapter rebuilds it from the engine's request). */
export interface ResourceRecord {
  urn: string;
  type: string;
  name: string;
  custom?: boolean;
  parent?: string | null;
  provider?: string | null;
  /** Account the resource's provider deploys into, when the record knows it (the offline plan does). */
  accountId?: string | null;
  /** Resource inputs; values unknown at plan time are the string "<unknown>". */
  inputs: Record<string, unknown>;
}

/** Facts about where the resource is deployed. */
export interface EvaluationContext {
  /** Account that owns the resource (the provider's single allowedAccountIds entry), when known. */
  accountId?: string;
}

export interface Finding {
  /** Property and statement the finding is about, e.g. `assumeRolePolicy, statement "TrustCollector"`. */
  location: string;
  /** What is wrong and how to fix it. */
  message: string;
  /** A value unknown during preview kept the rule from deciding: reported as advisory, checked again on update. */
  inconclusive?: boolean;
}

export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

/** Options every policy accepts through the pack's config. */
export interface CommonRuleOptions {
  /** Resource names (logical names) or URNs this policy skips, each an explicit reviewed exception. */
  exemptResources?: string[];
}

/** JSON schema of one config property, as the pack's config schema takes it: a list of names, or a whole number such as a raised quota. */
export type ConfigProperty =
  | { type: "array"; items: { type: "string" }; description: string }
  | { type: "integer"; minimum?: number; maximum?: number; description: string };

export const stringListProperty = (description: string): ConfigProperty => ({
  type: "array",
  items: { type: "string" },
  description,
});

export interface ResourceRule<O extends CommonRuleOptions = CommonRuleOptions> {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  /** Rule-specific config properties (besides `exemptResources`). */
  configProperties: Record<string, ConfigProperty>;
  /** Pulumi type tokens this rule reads. */
  resourceTypes: ReadonlySet<string>;
  check(record: ResourceRecord, context: EvaluationContext, options: O): Finding[];
}

export interface StackFinding extends Finding {
  urn: string;
}

export interface StackRule<O extends CommonRuleOptions = CommonRuleOptions> {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  configProperties: Record<string, ConfigProperty>;
  checkStack(records: ResourceRecord[], contextOf: (record: ResourceRecord) => EvaluationContext, options: O): StackFinding[];
}

export function isExempt(options: CommonRuleOptions, record: Pick<ResourceRecord, "name" | "urn">): boolean {
  return (options.exemptResources ?? []).some((entry) => entry === record.name || entry === record.urn);
}
