/**
 * Confines a PromQL expression to one account: every vector selector gains the matcher
 * `account="<name>"`. Matchers are ANDed, so a query that names another account (or a regex
 * over all of them) selects nothing outside its own account. The expression is parsed with
 * the official PromQL grammar; one it cannot parse cleanly is refused rather than guessed at.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { ACCOUNT_LABEL } from "./account-scope";

export class UnscopableQueryError extends Error {}

/** Label values are written as a PromQL double-quoted string (JSON's escaping is a subset PromQL accepts). */
export function accountMatcher(account: string): string {
  return `${ACCOUNT_LABEL}=${JSON.stringify(account)}`;
}

export function scopeQueryToAccount(expression: string, account: string): string {
  const tree = parser.parse(expression);
  const insertions: { at: number; text: string }[] = [];
  let selectors = 0;
  let broken = false;
  tree.iterate({
    enter(node) {
      if (node.type.isError) broken = true;
      if (node.name !== "VectorSelector") return;
      selectors++;
      const matchers = node.node.getChild("LabelMatchers");
      if (matchers) {
        const hasMatchers = matchers.firstChild !== null;
        insertions.push({ at: matchers.from + 1, text: hasMatchers ? `${accountMatcher(account)},` : accountMatcher(account) });
      } else {
        const name = node.node.getChild("Identifier");
        if (!name) broken = true;
        else insertions.push({ at: name.to, text: `{${accountMatcher(account)}}` });
      }
    },
  });
  if (broken || expression.trim() === "") throw new UnscopableQueryError(`cannot parse the query ${JSON.stringify(expression)}`);
  // Scalars (`1+1`, `time()`) select nothing and pass unchanged.
  if (selectors === 0) return expression;
  let scoped = expression;
  for (const { at, text } of insertions.sort((a, b) => b.at - a.at)) scoped = scoped.slice(0, at) + text + scoped.slice(at);
  return scoped;
}

/** A series selector (`match[]`) confined the same way; an absent one becomes the account's own. */
export function scopeSeriesSelectors(selectors: string[], account: string): string[] {
  return selectors.length === 0 ? [`{${accountMatcher(account)}}`] : selectors.map((selector) => scopeQueryToAccount(selector, account));
}
