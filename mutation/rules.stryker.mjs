import { mutationGroup } from "./stryker.base.mjs";

export default mutationGroup({
  name: "rules",
  mutate: ["components/alert-pipeline/rules/render.ts"],
  spec: ["tests/rules/*.test.ts"],
});
