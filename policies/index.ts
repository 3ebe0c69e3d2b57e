/**
 * Entry of the CrossGuard pack: `pulumi preview --policy-pack policies`. Constructing the
 * PolicyPack starts the analyzer server the engine talks to, so this file only assembles.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME } from "./catalog";
import { PACK_POLICIES } from "./pack-policies";

new PolicyPack(PACK_NAME, {
  description: "Least-privilege IAM for AWS: wildcard actions and resources, open or unpinned trust, confused-deputy gaps, broad managed policies, PassRole, document sizes over their service quota.",
  enforcementLevel: "mandatory",
  policies: PACK_POLICIES,
});
