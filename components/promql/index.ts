export { metricNamesIn, metricNamesInAll } from "./metric-names";
export { substituteTemplateVariables, DURATION_PLACEHOLDER, NUMBER_PLACEHOLDER } from "./template-variables";
export { selectorsIn, unreadSeries } from "./series-selection";
export type { LabelMatcher, MetricSelector, SeriesSelection } from "./series-selection";
export { ALL, labelsRead } from "./labels-read";
export type { LabelsRead } from "./labels-read";
export { longestScrapeIntervalSeconds, readsOverTime } from "./range-reads";
export type { ExpressionUnderRead, MetricReads } from "./range-reads";
