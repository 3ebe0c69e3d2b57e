import { mutationGroup } from "./stryker.base.mjs";

export default mutationGroup({
  name: "alertmanager",
  runStatic: true,
  mutate: [
    "components/alert-pipeline/alertmanager/config.ts",
    "components/alert-pipeline/alertmanager/amp-restrictions.ts",
    "components/alert-pipeline/alertmanager/message-template.ts",
  ],
  spec: ["tests/alertmanager/*.test.ts"],
});
