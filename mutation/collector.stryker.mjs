import { mutationGroup } from "./stryker.base.mjs";

export default mutationGroup({
  name: "collector",
  mutate: ["components/workload-collector/prometheus-config.ts", "components/workload-collector/metric-allowlist.ts"],
  spec: [
    "tests/collector/prometheus-config.test.ts",
    "tests/collector/metric-producers.test.ts",
    "tests/promql/allowlist.test.ts",
  ],
  skip: [
    // Reads the committed plans, computed once per process: a mutant would never reach them.
    "every deployed prometheus.yml of",
    // Read metric-allow-list.ts's source text, which Stryker rewrites in its sandbox.
    "keeps nothing that no rule, dashboard or documented section needs",
    "lists in forDashboards exactly what the dashboards read from the collector",
  ],
});
