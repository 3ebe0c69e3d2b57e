/**
 * An Application Load Balancer listener's routing, as AWS documents it ("Listener rules",
 * "Condition types for listener rules"): rules in ascending priority, the first whose every
 * condition matches decides, else the default action. An http-header condition matches when
 * the header is present and one of its values matches; names and values compare
 * case-insensitively; `*` matches any run of characters, `?` one. Only the condition types the
 * project uses are modelled; any other is refused rather than guessed.
 */
export interface AlbRequest {
  /** Header name -> values (a header may appear more than once). */
  headers: Record<string, string[]>;
}

export interface AlbRule {
  priority: number;
  conditions: Array<Record<string, any>>;
  actions: Array<Record<string, any>>;
}

function wildcard(pattern: string): RegExp {
  const body = pattern.split("").map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${body}$`, "is");
}

function conditionMatches(condition: Record<string, any>, request: AlbRequest): boolean {
  const kinds = Object.keys(condition).filter((key) => condition[key] !== undefined);
  if (kinds.length !== 1 || kinds[0] !== "httpHeader") throw new Error(`condition ${JSON.stringify(condition)}: only httpHeader is modelled`);
  const { httpHeaderName, values } = condition.httpHeader as { httpHeaderName: string; values: string[] };
  const present = Object.entries(request.headers).filter(([name]) => name.toLowerCase() === httpHeaderName.toLowerCase()).flatMap(([, v]) => v);
  return present.some((value) => values.some((pattern) => wildcard(pattern).test(value)));
}

/** The action the listener takes for a request. */
export function routeRequest(rules: AlbRule[], defaultActions: Array<Record<string, any>>, request: AlbRequest): Record<string, any> {
  for (const rule of [...rules].sort((a, b) => a.priority - b.priority)) {
    if (rule.conditions.every((condition) => conditionMatches(condition, request))) return rule.actions[rule.actions.length - 1];
  }
  return defaultActions[defaultActions.length - 1];
}

/** AWS's limits on a listener's rules; each breach as a sentence. */
export function albRuleLimitBreaches(rules: AlbRule[]): string[] {
  const breaches: string[] = [];
  const priorities = rules.map((rule) => rule.priority);
  if (new Set(priorities).size !== priorities.length) breaches.push(`priorities repeat: ${priorities.join(", ")}`);
  for (const rule of rules) {
    if (!(Number.isInteger(rule.priority) && rule.priority >= 1 && rule.priority <= 50_000)) breaches.push(`priority ${rule.priority} is outside 1-50000`);
    const values = rule.conditions.flatMap((c) => (c.httpHeader?.values ?? []) as string[]);
    if (values.length > 5) breaches.push(`rule ${rule.priority}: ${values.length} match evaluations (at most 5 per rule)`);
    if (values.join("").split("").filter((ch) => ch === "*" || ch === "?").length > 5) breaches.push(`rule ${rule.priority}: more than 5 wildcards`);
    for (const condition of rule.conditions) {
      const { httpHeaderName, values: own } = condition.httpHeader as { httpHeaderName: string; values: string[] };
      if (own.length > 3) breaches.push(`rule ${rule.priority}: ${own.length} values in one condition (at most 3)`);
      if (httpHeaderName.length > 40 || /[*?]/.test(httpHeaderName)) breaches.push(`rule ${rule.priority}: header name "${httpHeaderName}" (at most 40 characters, no wildcards)`);
      for (const value of own) {
        if (value.length > 128) breaches.push(`rule ${rule.priority}: value of ${value.length} characters (at most 128)`);
        // Rules see visible ASCII only: a control character in a value could never match.
        if (/[\x00-\x1f\x7f]/.test(value)) breaches.push(`rule ${rule.priority}: value "${value}" holds a control character`);
      }
    }
  }
  return breaches;
}
