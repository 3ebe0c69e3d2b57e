/**
 * Which metric names a PromQL expression reads, found with the official grammar
 * (@prometheus-io/lezer-promql) rather than with regexes: label names, function names,
 * `by`/`on` lists and string arguments are never mistaken for metrics.
 *
 * A name comes from a selector's identifier (`up{job="x"}`), from a quoted name inside the
 * braces (`{"my.metric"}`), or from a `__name__` matcher (`{__name__="up"}`, or a regex that
 * is a plain list of names such as `{__name__=~"a|b"}`). A selector whose names cannot be
 * enumerated (`{job="x"}`, `{__name__=~"node_.*"}`) is an error: an allow-list cannot be
 * checked against it.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { substituteTemplateVariables } from "./template-variables";

/** Lezer's node type, taken from the parser so no transitive package is imported by name. */
export type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

const PLAIN_NAME_LIST = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\|[a-zA-Z_:][a-zA-Z0-9_:]*)*$/;

function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === "`") return body;
  if (quote === "'") return JSON.parse(`"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
  return JSON.parse(literal) as string;
}

export function text(expr: string, node: SyntaxNode): string {
  return expr.slice(node.from, node.to);
}

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

function firstSyntaxError(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type.isError) return node;
  for (const child of children(node)) {
    const found = firstSyntaxError(child);
    if (found) return found;
  }
  return undefined;
}

/** The label name of a matcher (`job="x"` or `"job"="x"`), its operator and its value. */
export function matcherParts(expr: string, matcher: SyntaxNode): { label: string; op: string; value: string } {
  const nameNode = matcher.getChild("LabelName") ?? matcher.getChild("QuotedLabelName");
  const opNode = matcher.getChild("MatchOp");
  const valueNode = matcher.getChild("StringLiteral");
  if (!nameNode || !opNode || !valueNode) {
    throw new Error(`PromQL "${expr}": cannot read label matcher "${text(expr, matcher)}"`);
  }
  const rawName = text(expr, nameNode);
  const label = nameNode.name === "QuotedLabelName" ? unquote(rawName) : rawName;
  return { label, op: text(expr, opNode), value: unquote(text(expr, valueNode)) };
}

export function namesOfSelector(expr: string, selector: SyntaxNode): string[] {
  const names: string[] = [];
  const identifier = selector.getChild("Identifier");
  if (identifier) names.push(text(expr, identifier));

  const matchers = selector.getChild("LabelMatchers");
  for (const item of matchers ? children(matchers) : []) {
    if (item.name === "QuotedLabelName") {
      names.push(unquote(text(expr, item)));
      continue;
    }
    if (item.name !== "UnquotedLabelMatcher" && item.name !== "QuotedLabelMatcher") continue;
    const { label, op, value } = matcherParts(expr, item);
    if (label !== "__name__") continue;
    if (op === "=") {
      names.push(value);
    } else if (op === "=~" && PLAIN_NAME_LIST.test(value)) {
      names.push(...value.split("|"));
    } else {
      throw new Error(
        `PromQL "${expr}": selector "${text(expr, selector)}" matches metric names with ${op} "${value}"; ` +
          "name the metrics explicitly (=, or =~ with a plain a|b list) so the allow-list can be checked",
      );
    }
  }

  if (names.length === 0) {
    throw new Error(`PromQL "${expr}": selector "${text(expr, selector)}" names no metric; add the metric name`);
  }
  return names;
}

function collect(expr: string, node: SyntaxNode, into: Set<string>): void {
  if (node.name === "VectorSelector") {
    for (const name of namesOfSelector(expr, node)) into.add(name);
    return;
  }
  for (const child of children(node)) collect(expr, child, into);
}

/** The syntax tree of an expression with Grafana variables replaced, or an error naming the expression. */
export function parseExpression(expr: string): { parseable: string; top: SyntaxNode } {
  const parseable = substituteTemplateVariables(expr);
  const tree = parser.parse(parseable);
  const error = firstSyntaxError(tree.topNode);
  if (error) {
    const near = parseable.slice(Math.max(0, error.from - 10), error.to + 10);
    throw new Error(`PromQL "${expr}" does not parse: syntax error at offset ${error.from} near "${near}"`);
  }
  return { parseable, top: tree.topNode };
}

/** Sorted, distinct metric names read by one PromQL expression (Grafana variables allowed). */
export function metricNamesIn(expr: string): string[] {
  const { parseable, top } = parseExpression(expr);
  const names = new Set<string>();
  collect(parseable, top, names);
  return [...names].sort();
}

/** Sorted, distinct metric names read by any of the expressions. */
export function metricNamesInAll(exprs: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const expr of exprs) for (const name of metricNamesIn(expr)) names.add(name);
  return [...names].sort();
}
