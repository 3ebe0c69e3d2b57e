export { renderAccountDashboards } from "./account-dashboards";
export type { AccountDashboardSettings } from "./account-dashboards";
export { renderCrossAccountDashboards, renderCrossAccountOverview, DEFAULT_AMP_QUOTAS } from "./cross-account-dashboards";
export type { CrossAccountDashboardSettings, AmpQuotaLimits } from "./cross-account-dashboards";
export { AccountDashboards, GrafanaDashboards } from "./account-dashboards-component";
export type { AccountDashboardsArgs, GrafanaDashboardsArgs } from "./account-dashboards-component";
export { prometheusExpressions, WORKSPACE_GENERATED_METRICS } from "./expressions";
export type { DashboardExpression } from "./expressions";
export type { RenderedDashboard } from "./panels";
