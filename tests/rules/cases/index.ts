import { RuleConcern } from "../../../components/alert-pipeline/rules/settings";
import { AMP_QUOTA_CASES } from "./amp-quota";
import { COLLECTOR_CASES } from "./collector";
import { KUBERNETES_CASES } from "./kubernetes";
import { RuleTestCase } from "./model";
import { SERVICE_CASES } from "./services";

/** The promtool unit tests of each concern's namespace (rendered with the default settings). */
export const CASES_BY_CONCERN: Readonly<Record<RuleConcern, RuleTestCase[]>> = {
  kubernetes: KUBERNETES_CASES,
  services: SERVICE_CASES,
  collector: COLLECTOR_CASES,
  "amp-quota": AMP_QUOTA_CASES,
};

export * from "./model";
