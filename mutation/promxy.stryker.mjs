import { mutationGroup } from "./stryker.base.mjs";

export default mutationGroup({
  name: "promxy",
  runStatic: true,
  mutate: ["components/unified-query/promxy-config.ts"],
  spec: ["tests/unified-query/promxy-config.test.ts"],
});
