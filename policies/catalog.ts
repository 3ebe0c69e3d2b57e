/** Every policy of the pack, in report order. Adding a policy means adding it here. */
import { CommonRuleOptions, ResourceRule, StackRule } from "./analysis/model";
import { deprecatedActions } from "./rules/deprecated-actions";
import { documentSizeQuota } from "./rules/document-size-quota";
import { knownActions } from "./rules/known-actions";
import { knownConditionKeys } from "./rules/known-condition-keys";
import { noBroadManagedPolicies } from "./rules/no-broad-managed-policies";
import { noNotActionNotResource } from "./rules/no-not-action-not-resource";
import { noWildcardActions } from "./rules/no-wildcard-actions";
import { noWildcardResource } from "./rules/no-wildcard-resource";
import { passRoleScoped } from "./rules/pass-role-scoped";
import { remoteWriteOneWorkspace } from "./rules/remote-write-one-workspace";
import { resourceArnsFitActions } from "./rules/resource-arns-fit-actions";
import { restrictedPrincipals } from "./rules/restricted-principals";
import { scopedWildcards } from "./rules/scoped-wildcards";
import { servicePrincipalSourcePinned } from "./rules/service-principal-source-pinned";

export const PACK_NAME = "aws-least-privilege-iam";

// Each rule narrows the options type; the catalog holds them by their common shape.
export const RESOURCE_RULES: ReadonlyArray<ResourceRule<CommonRuleOptions>> = [
  noWildcardActions,
  noWildcardResource,
  scopedWildcards,
  knownActions,
  knownConditionKeys,
  resourceArnsFitActions,
  noNotActionNotResource,
  restrictedPrincipals,
  servicePrincipalSourcePinned,
  noBroadManagedPolicies,
  passRoleScoped,
  deprecatedActions,
] as ReadonlyArray<ResourceRule<CommonRuleOptions>>;

export const STACK_RULES: ReadonlyArray<StackRule<CommonRuleOptions>> = [remoteWriteOneWorkspace, documentSizeQuota] as ReadonlyArray<StackRule<CommonRuleOptions>>;
