import { mutationGroup } from "./stryker.base.mjs";

export default mutationGroup({
  name: "collector",
  // The allow-list has its own group (allowlist.stryker.mjs), which runs its static mutants.
  mutate: ["components/workload-collector/prometheus-config.ts"],
  spec: [
    "tests/collector/prometheus-config.test.ts",
    "tests/collector/metric-producers.test.ts",
  ],
  skip: [
    // Reads the committed plans, computed once per process: a mutant would never reach them.
    "every deployed prometheus.yml of",
  ],
});
