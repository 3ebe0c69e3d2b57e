/**
 * The Grafana Foundation SDK builders (10.4 line, the Grafana version Amazon Managed Grafana
 * runs). The package publishes its modules through `exports` only; this project compiles with
 * classic `node` module resolution, which does not read `exports`, so the types are taken from
 * the files under dist/ and the values are loaded through the exported paths Node resolves.
 */
import type * as cloudwatchModule from "@grafana/grafana-foundation-sdk/dist/cloudwatch";
import type * as dashboardModule from "@grafana/grafana-foundation-sdk/dist/dashboard";
import type * as prometheusModule from "@grafana/grafana-foundation-sdk/dist/prometheus";
import type * as statModule from "@grafana/grafana-foundation-sdk/dist/stat";
import type * as tableModule from "@grafana/grafana-foundation-sdk/dist/table";
import type * as timeseriesModule from "@grafana/grafana-foundation-sdk/dist/timeseries";
import type * as bargaugeModule from "@grafana/grafana-foundation-sdk/dist/bargauge";
import type * as commonModule from "@grafana/grafana-foundation-sdk/dist/common";

export const dashboard: typeof dashboardModule = require("@grafana/grafana-foundation-sdk/dashboard");
export const prometheus: typeof prometheusModule = require("@grafana/grafana-foundation-sdk/prometheus");
export const cloudwatch: typeof cloudwatchModule = require("@grafana/grafana-foundation-sdk/cloudwatch");
export const timeseries: typeof timeseriesModule = require("@grafana/grafana-foundation-sdk/timeseries");
export const stat: typeof statModule = require("@grafana/grafana-foundation-sdk/stat");
export const table: typeof tableModule = require("@grafana/grafana-foundation-sdk/table");
export const bargauge: typeof bargaugeModule = require("@grafana/grafana-foundation-sdk/bargauge");
export const common: typeof commonModule = require("@grafana/grafana-foundation-sdk/common");

export type Dashboard = dashboardModule.Dashboard;
export type DataSourceRef = dashboardModule.DataSourceRef;
