import { mutationGroup } from "./stryker.base.mjs";

export default mutationGroup({
  name: "policies",
  // index.ts only constructs the PolicyPack (the analyzer server): the pack's behaviour is in
  // the files it assembles, and the analyzer test runs it in a child process Stryker cannot see.
  // memo.ts only keeps lookups for the life of the process (the tests empty it before each test).
  mutate: ["policies/**/*.ts", "!policies/index.ts", "!policies/analysis/memo.ts"],
  spec: [
    "tests/policies/rules.test.ts",
    "tests/policies/pack-policies.test.ts",
    "tests/policies/document-size-quota.test.ts",
    "tests/policies/quota-measure.test.ts",
    "tests/policies/known-condition-keys.test.ts",
    "tests/policies/restricted-principals.test.ts",
    "tests/policies/wildcards.test.ts",
    "tests/policies/analysis.test.ts",
    "tests/policies/documents.test.ts",
    "tests/policies/reference.test.ts",
    "tests/policies/cli.test.ts",
    "tests/policies/known-actions.test.ts",
    "tests/policies/resource-arns-fit-actions.test.ts",
  ],
  skip: [
    // Evaluate every document of the committed plans: seconds per mutant; the same rules are
    // pinned case by case in rules.test.ts and document-size-quota.test.ts.
    "every document fits its quota, nothing is left unknown",
    "evaluates a 200-account environment quickly",
    // Runs the CLI in a child process, which Stryker does not instrument.
    "runs as `npm run policy -- <plan dir>`",
  ],
});
