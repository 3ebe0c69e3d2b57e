import { mutationGroup } from "./stryker.base.mjs";

/**
 * CI's mutation smoke (`npm run mutation -- smoke`, run by .ci/run after npm test): one small
 * file, so a broken Stryker, runner or config fails CI in well under two minutes. The score
 * of this file is 100% today; below `break` the run fails.
 */
export default mutationGroup({
  name: "smoke",
  mutate: ["components/iam/policy-document.ts"],
  spec: ["tests/iam/policy-document.test.ts", "tests/iam/split-policy-document.test.ts"],
  thresholds: { high: 95, low: 90, break: 90 },
});
