import { mutationGroup } from "./stryker.base.mjs";

export default mutationGroup({
  name: "iam",
  mutate: ["components/iam/**/*.ts"],
  // The builders judged one by one. The pack's tests also build documents with them, but in
  // tables made when their files load: every such mutant would need a fresh process.
  spec: ["tests/iam/*.test.ts"],
});
