import { mutationGroup } from "./stryker.base.mjs";

/** The allow-list is data read at load: every mutant is static, so this group runs them. */
export default mutationGroup({
  name: "allowlist",
  runStatic: true,
  mutate: ["components/workload-collector/metric-allowlist.ts"],
  spec: ["tests/promql/allowlist.test.ts"],
  skip: [
    // Read metric-allow-list.ts's source text, which Stryker rewrites in its sandbox.
    "keeps nothing that no rule, dashboard or documented section needs",
    "lists in forDashboards exactly what the dashboards read from the collector",
  ],
});
