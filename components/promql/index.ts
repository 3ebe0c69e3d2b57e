export { metricNamesIn, metricNamesInAll } from "./metric-names";
export { substituteTemplateVariables, DURATION_PLACEHOLDER, NUMBER_PLACEHOLDER } from "./template-variables";
