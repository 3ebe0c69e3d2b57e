/**
 * Who may act. Trust policies: no open principal without a condition that pins the caller,
 * cross-account principals are a named role or pinned by aws:PrincipalArn / sts:ExternalId /
 * aws:PrincipalOrgID, and web-identity (IRSA) trust pins both `:sub` and `:aud`.
 * Resource policies: no open principal without a condition that restricts it.
 */
import { PolicyStatement } from "../../components/iam/policy-document";
import { DOCUMENT_TYPES, DocumentSite } from "../analysis/documents";
import { CommonRuleOptions, EvaluationContext, Finding, ResourceRule, stringListProperty } from "../analysis/model";
import {
  accountOfPrincipal, actionPatternMatches, conditionEntries, hasWildcard, isAllow, isExactRoleArn, pinnedBy,
  principalEntries, restricts, strings, Tri, where,
} from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";

export interface RestrictedPrincipalsOptions extends CommonRuleOptions {
  /** Principals (ARNs or account ids) accepted without pinning, each a reviewed exception. */
  allowedPrincipals?: string[];
}

/** Conditions that pin who the caller is. */
export const CALLER_PIN_KEYS = ["aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:userid"];
/** Conditions that pin on whose behalf a service calls (resource policies only). */
export const SOURCE_PIN_KEYS = ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceVpce", "aws:SourceVpc"];
const CROSS_ACCOUNT_PIN_KEYS = ["aws:PrincipalArn", "sts:ExternalId", "aws:PrincipalOrgID"];

export const restrictedPrincipals: ResourceRule<RestrictedPrincipalsOptions> = {
  name: "restricted-principals",
  description:
    "Trust and resource policies name who may act: no open principal without a pinning condition, cross-account trust pinned to a role, IRSA trust pinned by :sub and :aud.",
  enforcementLevel: "mandatory",
  configProperties: { allowedPrincipals: stringListProperty("Principals accepted without pinning (reviewed exceptions).") },
  resourceTypes: DOCUMENT_TYPES,
  check(record, context, options) {
    const allowed = new Set(options.allowedPrincipals ?? []);
    const { statements, findings } = walkStatements(record, ["trust", "resource"], this.name);
    for (const { site, statement, index } of statements) {
      if (!isAllow(statement)) continue;
      const location = where(site, statement, index);
      if (isUnknown(statement.Principal)) {
        findings.push(unknownFinding(location, this.name, `${location}: Principal`));
        continue;
      }
      for (const principal of principalEntries(statement.Principal)) {
        if (allowed.has(principal.value)) continue;
        if (isUnknown(principal.value)) {
          findings.push(unknownFinding(location, this.name, `${location}: a ${principal.kind} principal`));
          continue;
        }
        if (principal.kind === "*" || (principal.kind === "AWS" && principal.value === "*")) {
          findings.push(...openPrincipal(site, statement, location, this.name));
        } else if (site.role === "trust" && principal.kind === "AWS") {
          findings.push(...crossAccount(principal.value, statement, location, context, this.name));
        } else if (site.role === "trust" && principal.kind === "Federated") {
          findings.push(...webIdentity(principal.value, statement, location, this.name));
        }
      }
    }
    return findings;
  },
};

function openPrincipal(site: DocumentSite, statement: PolicyStatement, location: string, policyName: string): Finding[] {
  const keys = site.role === "trust" ? CALLER_PIN_KEYS : [...CALLER_PIN_KEYS, ...SOURCE_PIN_KEYS];
  const pinned = pinnedBy(statement, keys);
  if (pinned === "yes") return [];
  if (pinned === "unknown") return [unknownFinding(location, policyName, `${location}: the condition on the open principal`)];
  const fix =
    site.synthesisedFrom === "lambdaPermission"
      ? `set principalOrgId, sourceArn or sourceAccount on the Permission, or name the principal`
      : site.role === "trust"
        ? `name the principal (a role ARN) or add a condition on ${CALLER_PIN_KEYS.slice(0, 4).join(" / ")}`
        : `name the principal, or add a condition on aws:PrincipalOrgID, aws:SourceArn or aws:SourceAccount`;
  return [{ location, message: `${location}: Principal "*" lets anyone ${site.role === "trust" ? "assume this role" : "use this resource"}. Fix: ${fix}.` }];
}

function crossAccount(principal: string, statement: PolicyStatement, location: string, context: EvaluationContext, policyName: string): Finding[] {
  if (isExactRoleArn(principal)) return [];
  const account = accountOfPrincipal(principal);
  if (account !== undefined && account === context.accountId) return [];
  const pinned: Tri = pinnedBy(statement, CROSS_ACCOUNT_PIN_KEYS, (value) => !hasWildcard(value));
  if (pinned === "yes") return [];
  if (pinned === "unknown") return [unknownFinding(location, policyName, `${location}: the condition pinning ${principal}`)];
  if (account !== undefined && context.accountId === undefined) {
    return [{
      location,
      inconclusive: true,
      message: `${location}: cannot tell whether ${principal} is another account (the resource's provider pins no single allowedAccountIds entry); if it is, name a role or pin it with aws:PrincipalArn.`,
    }];
  }
  const who = account !== undefined ? `every identity of account ${account} allowed to call sts:AssumeRole` : `${principal}`;
  const example = account !== undefined ? `arn:aws:iam::${account}:role/<name>` : "arn:aws:iam::<account>:role/<name>";
  return [{
    location,
    message:
      `${location}: cross-account principal ${principal} is not a specific role, so ${who} may assume this role. ` +
      `Fix: name the role (${example}) or pin it with a condition: ArnEquals aws:PrincipalArn (no wildcard), sts:ExternalId or aws:PrincipalOrgID.`,
  }];
}

function webIdentity(provider: string, statement: PolicyStatement, location: string, policyName: string): Finding[] {
  const oidc = /:oidc-provider\/(.+)$/.exec(provider);
  const actions = strings(statement.Action);
  const grantsWebIdentity = actions.some((a) => !isUnknown(a) && actionPatternMatches(a, "sts:AssumeRoleWithWebIdentity"));
  if (!oidc && !grantsWebIdentity) return [];
  const issuer = oidc ? oidc[1] : undefined;
  const keyMatches = (suffix: string) => (key: string) =>
    key.toLowerCase().endsWith(suffix) && (issuer === undefined || key.toLowerCase() === `${issuer}${suffix}`.toLowerCase());
  const entries = conditionEntries(statement);
  const findings: Finding[] = [];
  const issuerText = issuer ?? "<issuer>";

  const sub = entries.filter((e) => keyMatches(":sub")(e.key) && restricts(e));
  const subValues = sub.flatMap((e) => e.values);
  if (subValues.some(isUnknown)) findings.push(unknownFinding(location, policyName, `${location}: the ${issuerText}:sub condition`));
  else if (sub.length === 0 || subValues.some(isLooseSubject)) {
    const shown = subValues.length > 0 ? ` (${subValues.join(", ")})` : "";
    findings.push({
      location,
      message:
        `${location}: web-identity trust for ${provider} does not pin one service account with ${issuerText}:sub${shown}, so any pod the issuer signs for may assume this role. ` +
        `Fix: StringEquals "${issuerText}:sub": "system:serviceaccount:<namespace>:<service-account>" (no wildcard).`,
    });
  }
  const aud = entries.filter((e) => keyMatches(":aud")(e.key) && restricts(e));
  const audValues = aud.flatMap((e) => e.values);
  if (audValues.some(isUnknown)) findings.push(unknownFinding(location, policyName, `${location}: the ${issuerText}:aud condition`));
  else if (aud.length === 0 || audValues.some(hasWildcard)) {
    findings.push({
      location,
      message: `${location}: web-identity trust for ${provider} does not pin the token audience. Fix: StringEquals "${issuerText}:aud": "sts.amazonaws.com".`,
    });
  }
  return findings;
}

/** An EKS subject must name one namespace and one service account; other issuers at least avoid wildcards. */
function isLooseSubject(value: string): boolean {
  if (hasWildcard(value)) return true;
  if (value.startsWith("system:serviceaccount:")) return !/^system:serviceaccount:[^:]+:[^:]+$/.test(value);
  return false;
}
