/** Every dashboard the project deploys, rendered for one sample account: what the PromQL-derived tests read. */
import { RenderedDashboard, renderAccountDashboards, renderCrossAccountDashboards } from "../../components/dashboards";

export function projectDashboards(): RenderedDashboard[] {
  return [
    ...renderAccountDashboards({ environment: "prod", accountName: "payments", prometheusDatasourceUid: "prod-payments-amp" }),
    ...renderCrossAccountDashboards({
      environment: "prod",
      unifiedDatasourceUid: "all-accounts-prod",
      hubCloudwatchDatasourceUid: "prod-hub-cloudwatch",
      workspaces: [{ accountName: "payments", workspaceId: "ws-11111111-1111-4111-8111-111111111111" }],
    }),
  ];
}
