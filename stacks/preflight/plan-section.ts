/**
 * The offline plan's "Quotas" section. Increases to request are printed, not failed on: they
 * are requests. A quota that cannot be raised far enough fails the plan, as the deployment
 * would fail.
 */
import { HubStackConfig } from "../config/schema";
import { EnvironmentPlan } from "../plan/plan";
import { formatQuotaReport } from "./format";
import { QuotaReport, checkQuotas } from "./quotas";

export interface QuotaSection {
  report: QuotaReport;
  text: string;
  /** Only when a quota cannot be raised far enough: increases alone never fail the plan. */
  failed: boolean;
}

export function quotaSection(config: HubStackConfig, plan: EnvironmentPlan): QuotaSection {
  const report = checkQuotas({ config, plan });
  return { report, text: formatQuotaReport(report), failed: report.blockers.length > 0 };
}

/** Prints the section for `npm run plan` and fails the run only on blockers. */
export function reportQuotas(config: HubStackConfig, plan: EnvironmentPlan): QuotaSection {
  const section = quotaSection(config, plan);
  console.log("\n" + section.text);
  if (section.failed) {
    console.error(`\n${section.report.blockers.length} quota(s) cannot be raised far enough: change the design before deploying (details above)`);
    process.exitCode = 1;
  }
  return section;
}
