/**
 * The rules as @pulumi/policy policies. Nothing here constructs the PolicyPack (that starts
 * the analyzer server); index.ts does, so these can be tested with hand-made arguments.
 */
import type {
  EnforcementLevel, Policies, PolicyProviderResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy,
  StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { CommonRuleOptions, EvaluationContext, Finding, isExempt, ResourceRecord, ResourceRule, StackRule } from "./analysis/model";
import { toPlain } from "./analysis/unknown";
import { RESOURCE_RULES, STACK_RULES } from "./catalog";
import { configSchemaProperties } from "./config";

/** The account a resource is deployed into: its provider's single allowedAccountIds entry. */
export function contextFromProvider(provider: PolicyProviderResource | undefined): EvaluationContext {
  if (!provider) return {};
  const props = toPlain(provider.props) as Record<string, unknown>;
  const ids = props.allowedAccountIds;
  if (Array.isArray(ids) && ids.length === 1 && typeof ids[0] === "string" && /^\d{12}$/.test(ids[0])) return { accountId: ids[0] };
  return {};
}

function recordOf(resource: { urn: string; type: string; name: string; props: Record<string, unknown>; provider?: PolicyProviderResource }): ResourceRecord {
  return {
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    provider: resource.provider?.urn ?? null,
    inputs: toPlain(resource.props) as Record<string, unknown>,
  };
}

/**
 * Definite findings go through the plain report (the policy's configured level applies);
 * inconclusive ones, blocked by a value unknown at preview, are reported as advisory the way
 * @pulumi/policy itself reports unknowns, using the object form its server accepts.
 */
function report(reportViolation: ReportViolation, finding: Finding, urn?: string): void {
  if (!finding.inconclusive) {
    reportViolation(finding.message, urn);
    return;
  }
  const reportObject = reportViolation as unknown as (violation: { message: string; enforcementLevel: EnforcementLevel; urn?: string }) => void;
  reportObject({ message: finding.message, enforcementLevel: "advisory", urn });
}

export function resourcePolicy(rule: ResourceRule<CommonRuleOptions>): ResourceValidationPolicy {
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    configSchema: { properties: configSchemaProperties(rule.configProperties) },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!rule.resourceTypes.has(args.type)) {
        args.notApplicable(`Policy only applies to ${[...rule.resourceTypes].join(", ")}`);
      }
      const options = args.getConfig<CommonRuleOptions>();
      const record = recordOf(args);
      if (isExempt(options, record)) return;
      for (const finding of rule.check(record, contextFromProvider(args.provider), options)) report(reportViolation, finding);
    },
  };
}

export function stackPolicy(rule: StackRule<CommonRuleOptions>): StackValidationPolicy {
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    configSchema: { properties: configSchemaProperties(rule.configProperties) },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const options = args.getConfig<CommonRuleOptions>();
      const contexts = new Map<string, EvaluationContext>();
      const records = args.resources.map((resource) => {
        const record = recordOf(resource);
        contexts.set(record.urn, contextFromProvider(resource.provider));
        return record;
      });
      const findings = rule.checkStack(records, (record) => contexts.get(record.urn) ?? {}, options);
      for (const finding of findings) report(reportViolation, finding, finding.urn);
    },
  };
}

export const PACK_POLICIES: Policies = [...RESOURCE_RULES.map(resourcePolicy), ...STACK_RULES.map(stackPolicy)];
