import { mutationGroup } from "./stryker.base.mjs";

export default mutationGroup({
  name: "collector",
  // The allow-list has its own group (allowlist.stryker.mjs), which runs its static mutants.
  // remote-write-filter.ts holds the allow-list regex and the queue both hubs' sections share.
  // range-reads.ts derives the services' job's interval the renderer writes.
  mutate: ["components/workload-collector/prometheus-config.ts", "components/workload-collector/remote-write-filter.ts", "components/promql/range-reads.ts"],
  spec: [
    "tests/collector/prometheus-config.test.ts",
    "tests/collector/metric-producers.test.ts",
    "tests/collector/scrape-intervals.test.ts",
  ],
  skip: [
    // Reads the committed plans, computed once per process: a mutant would never reach them.
    "every deployed prometheus.yml of",
  ],
});
