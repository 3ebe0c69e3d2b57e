import { mutationGroup } from "./stryker.base.mjs";

/**
 * The allow-list is built by collectorMetricAllowlist() where it is used, never while files
 * load: each edit runs in the running test process against the tests that call it.
 */
export default mutationGroup({
  name: "allowlist",
  mutate: ["components/workload-collector/metric-allowlist.ts"],
  spec: ["tests/promql/allowlist.test.ts"],
  skip: [
    // Read metric-allow-list.ts's source text, which Stryker rewrites in its sandbox.
    "keeps nothing that no rule, dashboard or documented section needs",
    "lists in forDashboards exactly what the dashboards read from the collector",
  ],
});
