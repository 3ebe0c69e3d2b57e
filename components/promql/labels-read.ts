/**
 * Which labels of each metric any expression reads: in its matchers, in the `by`/`on` lists
 * its values pass through, and in whatever reaches the result unaggregated (a panel's raw
 * series, an alert's labels). The analysis is conservative: a label it cannot rule out is
 * read. `ALL` means every label is read (a raw selector, a vector match on all labels,
 * `ignoring`, label_replace...).
 *
 * This says what a query needs, not what may be dropped: removing a label that is read by
 * no query still merges series that differ only in it (see the workload collector's
 * series-cuts.ts for why cAdvisor's `id` and `name` stay).
 */
import { children, namesOfSelector, parseExpression, SyntaxNode, text } from "./metric-names";

export const ALL = "*all*";
export type LabelsRead = ReadonlySet<string>;

/** Aggregations that return input series as they are (with all their labels). */
const SELECTING_AGGREGATIONS = new Set(["topk", "bottomk", "limitk", "limit_ratio", "count_values"]);
/** Functions that rewrite labels from other labels. */
const LABEL_REWRITING = new Set(["label_replace", "label_join", "sort_by_label", "sort_by_label_desc"]);
const SCALAR_FUNCTIONS = new Set(["scalar", "time", "pi"]);
const NUMBERS = new Set(["NumberLiteral", "NumberDurationLiteral"]);

function groupingLabels(expr: string, node: SyntaxNode | null): string[] {
  return node ? children(node).filter((c) => c.name === "LabelName").map((c) => text(expr, c)) : [];
}

function isScalar(expr: string, node: SyntaxNode): boolean {
  if (NUMBERS.has(node.name)) return true;
  if (node.name === "ParenExpr" || node.name === "UnaryExpr") return children(node).some((c) => c.name !== "UnaryOp" && isScalar(expr, c));
  if (node.name === "FunctionCall") {
    const id = node.getChild("FunctionIdentifier");
    return id !== null && SCALAR_FUNCTIONS.has(text(expr, id));
  }
  if (node.name === "BinaryExpr") {
    const kids = children(node);
    return isScalar(expr, kids[0]) && isScalar(expr, kids[kids.length - 1]);
  }
  return false;
}

/** Labels one selector's values are read by, walking from the selector up to the top. */
function readBySelector(expr: string, selector: SyntaxNode): Set<string> {
  const read = new Set<string>();
  const matchers = selector.getChild("LabelMatchers");
  for (const item of matchers ? children(matchers) : []) {
    const name = item.getChild("LabelName") ?? item.getChild("QuotedLabelName");
    if (name && (item.name === "UnquotedLabelMatcher" || item.name === "QuotedLabelMatcher")) read.add(text(expr, name).replace(/^"|"$/g, ""));
  }
  read.delete("__name__");
  let flow = ALL as Set<string> | typeof ALL;
  let from: SyntaxNode = selector;
  for (let node = selector.parent; node; from = node, node = node.parent) {
    if (node.name === "AggregateExpr") {
      const op = text(expr, node.getChild("AggregateOp")!);
      const modifier = node.getChild("AggregateModifier");
      const labels = groupingLabels(expr, modifier?.getChild("GroupingLabels") ?? null);
      labels.forEach((l) => read.add(l));
      if (SELECTING_AGGREGATIONS.has(op)) continue;
      if (modifier?.getChild("Without")) continue;
      const narrowed = flow;
      flow = new Set(typeof narrowed === "string" ? labels : labels.filter((l) => narrowed.has(l)));
      continue;
    }
    if (node.name === "BinaryExpr") {
      const kids = children(node);
      // Tree nodes are fresh objects on every access: compare positions, not identity.
      const other = kids[0].from === from.from && kids[0].to === from.to ? kids[kids.length - 1] : kids[0];
      const clause = node.getChild("MatchingModifierClause");
      if (clause?.getChild("On")) {
        for (const group of clause.getChildren("GroupingLabels")) groupingLabels(expr, group).forEach((l) => read.add(l));
      } else if (clause?.getChild("Ignoring") || !isScalar(expr, other)) {
        // Matched on every label this side still has (all but the ignored ones).
        if (typeof flow === "string") return read.add(ALL);
        flow.forEach((l) => read.add(l));
      }
      continue;
    }
    if (node.name === "FunctionCall") {
      const id = node.getChild("FunctionIdentifier");
      if (id && LABEL_REWRITING.has(text(expr, id))) return read.add(ALL);
    }
  }
  if (flow === ALL) return read.add(ALL);
  flow.forEach((l) => read.add(l));
  return read;
}

/** Per metric, the labels any of the expressions read (`ALL` among them when every label is). */
export function labelsRead(exprs: Iterable<string>): Map<string, LabelsRead> {
  const out = new Map<string, Set<string>>();
  const visit = (expr: string, node: SyntaxNode) => {
    if (node.name === "VectorSelector") {
      const read = readBySelector(expr, node);
      for (const metric of namesOfSelector(expr, node)) {
        const into = out.get(metric) ?? new Set<string>();
        read.forEach((l) => into.add(l));
        out.set(metric, into);
      }
      return;
    }
    for (const child of children(node)) visit(expr, child);
  };
  for (const expr of exprs) {
    const { parseable, top } = parseExpression(expr);
    visit(parseable, top);
  }
  return out;
}
