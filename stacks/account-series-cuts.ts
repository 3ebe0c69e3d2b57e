/**
 * The series an account's collector may drop: those no selector of the account's own rules (as
 * its selector overrides write them) or of the dashboards that show its series can read. Carried
 * in the account's record, so the workload stack renders exactly these cuts; an account with the
 * default selectors gets COLLECTOR_SERIES_CUTS' cuts.
 */
import { allRuleExpressions } from "../components/alert-pipeline/rules";
import { prometheusExpressions, renderAccountDashboards, renderCrossAccountDashboards } from "../components/dashboards";
import { unreadSeries } from "../components/promql";
import { collectorMetricAllowlist } from "../components/workload-collector/metric-allowlist";
import { SeriesCut, deriveSeriesCuts } from "../components/workload-collector/series-cuts";
import { accountRuleSettings } from "./account-rules";
import { WorkloadAccountConfig } from "./config/schema";

/** Parsing every expression is the cost; accounts with the same rules' expressions share the result. */
const derived = new Map<string, SeriesCut[]>();

export function accountSeriesCuts(environment: string, account: WorkloadAccountConfig): SeriesCut[] {
  const rules = allRuleExpressions(accountRuleSettings(account));
  const dashboards = [
    ...renderAccountDashboards({ environment, accountName: account.name, prometheusDatasourceUid: "account", collectorMode: account.collector.mode }),
    ...renderCrossAccountDashboards({ environment, unifiedDatasourceUid: "all-accounts", hubCloudwatchDatasourceUid: "hub-cloudwatch", workspaces: [{ accountName: account.name, workspaceId: "ws-00000000-0000-4000-8000-000000000000" }] }),
  ].flatMap(prometheusExpressions).map((e) => e.expr);
  const shipped = [...collectorMetricAllowlist(), ...account.collector.extraMetrics];
  const key = JSON.stringify([rules, dashboards, shipped]);
  let cuts = derived.get(key);
  if (!cuts) {
    cuts = deriveSeriesCuts(unreadSeries([...rules, ...dashboards]), shipped);
    derived.set(key, cuts);
  }
  return cuts;
}
