/**
 * PromQL rewrites the equivalence check needs, done on the official grammar's tree:
 * Grafana variables replaced by the bench's values, recording rules inlined, and the
 * sub-expressions worth comparing on their own (an alert's `X > 0.9` is usually empty in
 * both receivers; X itself is not).
 */
import { children, parseExpression, SyntaxNode, text } from "../components/promql/metric-names";

/** `$name`, `${name}`, `${name:format}`, `[[name]]`. */
const VARIABLE = /\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]/g;

export function substituteVariables(expr: string, values: Record<string, string>): string {
  return expr.replace(VARIABLE, (whole, a, b, c) => {
    const name = a ?? b ?? c;
    if (!(name in values)) throw new Error(`PromQL "${expr}": the bench has no value for Grafana variable $${name}`);
    return values[name];
  });
}

interface Edit { from: number; to: number; text: string }

function applyEdits(source: string, edits: Edit[]): string {
  let out = source;
  for (const edit of [...edits].sort((a, b) => b.from - a.from)) out = out.slice(0, edit.from) + edit.text + out.slice(edit.to);
  return out;
}

function selectorName(expr: string, selector: SyntaxNode): string | undefined {
  const identifier = selector.getChild("Identifier");
  return identifier ? text(expr, identifier) : undefined;
}

/** Adds `offset` to every selector of `expr` (for an inlined rule that was read with an offset). */
function withOffset(expr: string, offset: string): string {
  const { top } = parseExpression(expr);
  const edits: Edit[] = [];
  const visit = (node: SyntaxNode) => {
    if (node.name === "OffsetExpr" || node.name === "SubqueryExpr") throw new Error(`cannot push "offset ${offset}" into "${expr}": it has its own offset or a subquery`);
    if (node.name === "MatrixSelector" || node.name === "VectorSelector") {
      edits.push({ from: node.to, to: node.to, text: ` offset ${offset}` });
      return;
    }
    for (const child of children(node)) visit(child);
  };
  visit(top);
  return applyEdits(expr, edits);
}

/**
 * Replaces every read of a recorded series by its rule's expression, recursively: what the
 * workspace's rule would have recorded at that time is what the expression gives there.
 * A range over a recorded series becomes a subquery at `stepSeconds`.
 */
export function inlineRecordingRules(expr: string, rules: ReadonlyMap<string, string>, stepSeconds: number): string {
  const { parseable, top } = parseExpression(expr);
  const edits: Edit[] = [];
  const inlined = (selector: SyntaxNode): string | undefined => {
    const name = selectorName(parseable, selector);
    if (name === undefined || !rules.has(name)) return undefined;
    if (selector.getChild("LabelMatchers")) throw new Error(`PromQL "${expr}": recorded series ${name} is read with matchers; the bench cannot inline that`);
    return inlineRecordingRules(rules.get(name)!, rules, stepSeconds);
  };
  const visit = (node: SyntaxNode) => {
    if (node.name === "OffsetExpr") {
      const inner = node.firstChild!;
      const offset = parseable.slice(inner.to, node.to).replace(/^\s*offset\s+/, "").trim();
      const selector = inner.name === "VectorSelector" ? inner : undefined;
      const body = selector ? inlined(selector) : undefined;
      if (body !== undefined) {
        edits.push({ from: node.from, to: node.to, text: `(${withOffset(body, offset)})` });
        return;
      }
    }
    if (node.name === "MatrixSelector") {
      const selector = node.getChild("VectorSelector")!;
      const body = inlined(selector);
      if (body !== undefined) {
        const range = parseable.slice(selector.to, node.to).trim().replace(/^\[|\]$/g, "");
        edits.push({ from: node.from, to: node.to, text: `(${body})[${range}:${stepSeconds}s]` });
        return;
      }
    }
    if (node.name === "VectorSelector") {
      const body = inlined(node);
      if (body !== undefined) edits.push({ from: node.from, to: node.to, text: `(${body})` });
      return;
    }
    for (const child of children(node)) visit(child);
  };
  visit(top);
  return applyEdits(parseable, edits);
}

const COMPARISONS = new Set(["Gtr", "Lss", "Gte", "Lte", "EqlSingle", "Eql", "Neq"]);
const SET_OPERATORS = new Set(["And", "Or", "Unless"]);
const NUMBER = new Set(["NumberLiteral", "NumberDurationLiteral"]);

function unwrap(node: SyntaxNode): SyntaxNode {
  return node.name === "ParenExpr" && node.firstChild ? unwrap(node.firstChild) : node;
}

/**
 * The expression and the parts of it whose values decide it: each side of `and`/`or`/`unless`,
 * and the non-constant side of a comparison with a number.
 */
export function comparableParts(expr: string): string[] {
  const { parseable, top } = parseExpression(expr);
  const parts = new Set<string>([expr]);
  const visit = (node: SyntaxNode) => {
    if (node.name === "BinaryExpr") {
      const kids = children(node);
      const lhs = kids[0];
      const rhs = kids[kids.length - 1];
      const op = kids[1]?.name;
      if (op && SET_OPERATORS.has(op)) {
        parts.add(text(parseable, lhs));
        parts.add(text(parseable, rhs));
      } else if (op && COMPARISONS.has(op)) {
        if (!NUMBER.has(unwrap(lhs).name)) parts.add(text(parseable, lhs));
        if (!NUMBER.has(unwrap(rhs).name)) parts.add(text(parseable, rhs));
      }
    }
    for (const child of children(node)) visit(child);
  };
  visit(top);
  return [...parts].filter((part) => !NUMBER.has(unwrap(parseExpression(part).top.firstChild ?? parseExpression(part).top).name));
}
