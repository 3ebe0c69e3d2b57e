/** Assertions on simulated decisions, with the request and the deciding statements in the message. */
import { expect } from "chai";
import { hubRawConfig } from "../support/org-model";
import { AccessRequest, Decision, DecisionScope, decide, why } from "./simulate";

export const ENVIRONMENTS = ["dev", "prod"] as const;

/** The organisation model of an environment (Pulumi.<env>.yaml), to name the tests before the plan runs. */
export function modelOf(environment: string): {
  hub: { accountId: string; organizationId?: string; amp?: { customerManagedKey?: boolean } };
  unifiedQuery?: unknown;
  alerting?: { destinations: Array<{ name: string }> };
  workloads: Array<{
    name: string;
    accountId: string;
    clusters: Array<{ name: string; vpcEndpoint?: unknown }>;
    collector?: { mode?: string };
    alarms?: unknown[];
  }>;
} {
  return hubRawConfig(environment) as any;
}

export async function allowed(index: DecisionScope, request: AccessRequest): Promise<Decision> {
  const decision = await decide(index, request);
  expect(decision.result, why(decision)).to.equal("Allowed");
  return decision;
}

/**
 * Denied; `by` also requires that policy alone to refuse (so the neighbour is stopped where
 * it should be, not only by some other document).
 */
export async function denied(index: DecisionScope, request: AccessRequest, ...by: Array<"identity" | "resource" | "endpoint">): Promise<Decision> {
  const decision = await decide(index, request);
  expect(decision.result, why(decision)).to.not.equal("Allowed");
  for (const policy of by) {
    if (decision[policy] === undefined && decision.engine === "runUnsafeSimulation") {
      throw new Error(`${decision.describe}: decided by runUnsafeSimulation, which gives no ${policy} policy verdict; assert the overall result only`);
    }
    if (policy === "identity") expect(decision.identity, `identity policies should refuse: ${why(decision)}`).to.not.equal("Allowed");
    if (policy === "resource") expect(decision.resource, `the resource policy should refuse: ${why(decision)}`).to.not.be.oneOf(["Allowed", "AllowedForAccount"]);
    if (policy === "endpoint") expect(decision.endpoint, `the VPC endpoint policy should refuse: ${why(decision)}`).to.be.oneOf(["ImplicitlyDenied", "ExplicitlyDenied"]);
  }
  return decision;
}

/** Another account of the list than `accountId` (the next one, cyclically). */
export function otherThan<T extends { accountId: string }>(items: T[], accountId: string): T {
  const i = items.findIndex((x) => x.accountId === accountId);
  const other = items[(i + 1) % items.length];
  if (!other || other.accountId === accountId) throw new Error(`no other account than ${accountId}`);
  return other;
}

/** An account no environment uses. */
export const STRANGER_ACCOUNT = "999999999999";
/** An organisation that is not ours. */
export const STRANGER_ORG = "o-zzzzzzzzzz";
