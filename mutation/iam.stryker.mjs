import { mutationGroup } from "./stryker.base.mjs";

export default mutationGroup({
  name: "iam",
  mutate: ["components/iam/**/*.ts"],
  spec: [
    "tests/iam/*.test.ts",
    "tests/policies/rules.test.ts",
    "tests/policies/pack-policies.test.ts",
    "tests/unified-query/lb-controller-policy.test.ts",
  ],
});
