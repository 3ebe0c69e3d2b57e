/**
 * The config reference: one markdown table of every `observability:*` key, generated from
 * the zod schemas that validate the stack files, so the documentation cannot drift from
 * what is accepted. Each row is a key path (`[]` a list item, `<team>` a map key of your
 * choosing), its type or allowed values (regex messages included), its default, whether it
 * is required, and its `.describe(...)` text. A key without a description fails generation.
 *
 * Defaults come from the schemas' `.default(...)`, and for the rule and alertmanager
 * overrides (whose defaults live in constants that their resolvers merge) from those same
 * constants. `npm run docs:config` writes the table into README.md between the markers;
 * `npm run docs:config -- --check` and tests/config/reference.test.ts fail when it is stale.
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { z } from "zod";
import {
  ALERT_SEVERITIES,
  DEFAULT_FALLBACK_TEAM,
  DEFAULT_GROUP_BY,
  DEFAULT_MAX_ALERTS_PER_MESSAGE,
  DEFAULT_NOTIFICATION_TIMING,
  DEFAULT_SEVERITY_TIMING,
  alertmanagerOverrideSchema,
} from "../../components/alert-pipeline/alertmanager";
import { DEFAULT_RULE_SETTINGS, RULE_CONCERNS, ruleSettingsOverrideSchema } from "../../components/alert-pipeline/rules";
import { CONFIG_NAMESPACE, hubStackConfigSchema, workloadStackConfigSchema } from "./schema";

export const REFERENCE_START = "<!-- config-reference:start -->";
export const REFERENCE_END = "<!-- config-reference:end -->";
export const REFERENCE_COMMAND = "npm run docs:config";

export type StackKind = "hub" | "workload";

export interface ReferenceRow {
  /** `observability:workloads[].clusters[].create.apiEndpoint` */
  key: string;
  stack: StackKind;
  /** Markdown: type and allowed values. */
  type: string;
  /** Markdown, empty when there is none. */
  default: string;
  /** `yes`, `no`, optionally followed by the variant the key belongs to (`yes, when `kind: create``). */
  required: string;
  description: string;
}

/** A default that is not a value (it follows another key), shown as written. */
export class DefaultText {
  constructor(readonly markdown: string) {}
}

/** The schemas the reference walks, per stack kind. */
export interface ReferenceSchemas {
  stacks: { stack: StackKind; schema: z.AnyZodObject }[];
  /** Defaults a resolver applies to an override schema (found by identity anywhere in the tree). */
  effectiveDefaults: Map<z.ZodTypeAny, unknown>;
}

const TIMING_KEYS = Object.keys(DEFAULT_NOTIFICATION_TIMING) as (keyof typeof DEFAULT_NOTIFICATION_TIMING)[];

/** What `resolveAlertmanagerSettings` merges into `alerting.alertmanager` (and hub.ts's per-workspace teams). */
const ALERTMANAGER_DEFAULTS = {
  teams: new DefaultText("one route per team the account's rules label alerts with"),
  fallbackTeam: DEFAULT_FALLBACK_TEAM,
  groupBy: DEFAULT_GROUP_BY,
  timing: DEFAULT_NOTIFICATION_TIMING,
  severityTiming: Object.fromEntries(ALERT_SEVERITIES.map((severity) => [severity, Object.fromEntries(TIMING_KEYS.map((key) => [
    key, DEFAULT_SEVERITY_TIMING[severity]?.[key] ?? new DefaultText(`\`timing.${key}\``),
  ]))])),
  maxAlertsPerMessage: DEFAULT_MAX_ALERTS_PER_MESSAGE,
};

/** What `resolveRuleSettings` merges into `workloads[].rules`; the team is the account's (AlertPipeline). */
const RULE_DEFAULTS = {
  ...DEFAULT_RULE_SETTINGS,
  team: new DefaultText("the account's `team`"),
  teams: Object.fromEntries(RULE_CONCERNS.map((concern) => [concern, DEFAULT_RULE_SETTINGS.teams[concern] ?? new DefaultText("`rules.team`")])),
};

export const PROJECT_SCHEMAS: ReferenceSchemas = {
  stacks: [
    { stack: "hub", schema: hubStackConfigSchema },
    { stack: "workload", schema: workloadStackConfigSchema },
  ],
  effectiveDefaults: new Map<z.ZodTypeAny, unknown>([
    [alertmanagerOverrideSchema, ALERTMANAGER_DEFAULTS],
    [ruleSettingsOverrideSchema, RULE_DEFAULTS],
  ]),
};

// ---------------------------------------------------------------------------------------
// Walking the schemas

interface Walk {
  stack: StackKind;
  schemas: ReferenceSchemas;
  /** The effective defaults of the object being walked (from an override's resolver). */
  effective?: unknown;
}

interface Row extends Omit<ReferenceRow, "required"> {
  optional: boolean;
  /** The union variant the key belongs to (`when `kind: create``, `for a demo cluster`). */
  condition?: string;
}

/** What wraps a schema's base type: description, default, optionality. */
interface Unwrapped {
  base: z.ZodTypeAny;
  chain: z.ZodTypeAny[];
  description?: string;
  hasDefault: boolean;
  defaultValue?: unknown;
  optional: boolean;
}

function unwrap(schema: z.ZodTypeAny): Unwrapped {
  const chain: z.ZodTypeAny[] = [];
  let current: z.ZodTypeAny = schema;
  let description: string | undefined;
  let hasDefault = false;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    chain.push(current);
    description ??= current.description;
    if (current instanceof z.ZodDefault) {
      if (!hasDefault) {
        hasDefault = true;
        defaultValue = current._def.defaultValue();
      }
      optional = true;
      current = current._def.innerType;
    } else if (current instanceof z.ZodOptional) {
      optional = true;
      current = current._def.innerType;
    } else if (current instanceof z.ZodNullable) {
      current = current._def.innerType;
    } else if (current instanceof z.ZodEffects) {
      current = current._def.schema;
    } else if (current instanceof z.ZodBranded || current instanceof z.ZodReadonly) {
      current = current instanceof z.ZodBranded ? current._def.type : current._def.innerType;
    } else {
      return { base: current, chain, description, hasDefault, defaultValue, optional };
    }
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof DefaultText);

function effectiveOf(parent: unknown, key: string): unknown {
  return isPlainObject(parent) ? parent[key] : undefined;
}

/** Objects, unions of objects and records have keys of their own; so do lists of them. */
function hasMembers(base: z.ZodTypeAny): boolean {
  if (base instanceof z.ZodObject || base instanceof z.ZodDiscriminatedUnion || base instanceof z.ZodRecord) return true;
  if (base instanceof z.ZodUnion) return (base.options as z.ZodTypeAny[]).every((option) => hasMembers(unwrap(option).base));
  return false;
}

/** The row of one key, then the rows of the keys inside it. */
function keyRows(key: string, schema: z.ZodTypeAny, walk: Walk, options: { condition?: string; optionalKey?: boolean } = {}): Row[] {
  const u = unwrap(schema);
  const registered = u.chain.find((s) => walk.schemas.effectiveDefaults.has(s));
  const effective = registered ? walk.schemas.effectiveDefaults.get(registered) : walk.effective;
  if (!u.description) {
    throw new Error(`config key ${key} has no description: add .describe("...") to its schema, then run ${REFERENCE_COMMAND}`);
  }
  const row: Row = {
    key,
    stack: walk.stack,
    type: typeText(u.base),
    default: u.hasDefault ? formatDefault(u.defaultValue) : effective !== undefined && !isPlainObject(effective) ? formatDefault(effective) : "",
    optional: u.optional || options.optionalKey === true,
    condition: options.condition,
    description: u.description,
  };
  const inner = { ...walk, effective };
  if (u.base instanceof z.ZodArray) {
    const item = unwrap(u.base._def.type).base;
    return [row, ...(hasMembers(item) ? memberRows(`${key}[]`, item, { ...inner, effective: undefined }) : [])];
  }
  return [row, ...(hasMembers(u.base) ? memberRows(key, u.base, inner) : [])];
}

/** The keys of an object-like schema at `prefix`. */
function memberRows(prefix: string, schema: z.ZodTypeAny, walk: Walk, condition?: string, skip?: string): Row[] {
  const base = unwrap(schema).base;
  if (base instanceof z.ZodObject) {
    return Object.entries(base.shape as Record<string, z.ZodTypeAny>)
      .filter(([name]) => name !== skip)
      .flatMap(([name, field]) => keyRows(child(prefix, name), field, { ...walk, effective: effectiveOf(walk.effective, name) }, { condition }));
  }
  if (base instanceof z.ZodDiscriminatedUnion) {
    const discriminator: string = base._def.discriminator;
    const variants = base.options as z.AnyZodObject[];
    const literals = variants.map((variant) => unwrap(variant.shape[discriminator]));
    const values = literals.map((literal) => (literal.base as z.ZodLiteral<unknown>)._def.value);
    const description = literals.find((literal) => literal.description)?.description;
    const key = child(prefix, discriminator);
    if (!description) throw new Error(`config key ${key} has no description: add .describe("...") to the ${discriminator} of one of its variants`);
    const discriminatorRow: Row = { key, stack: walk.stack, type: `one of ${values.map((v) => code(String(v))).join(", ")}`, default: "", optional: false, condition, description };
    return [discriminatorRow, ...mergeVariants(variants.map((variant, i) =>
      memberRows(prefix, variant, walk, `when \`${discriminator}: ${String(values[i])}\``, discriminator)), variants.length)];
  }
  if (base instanceof z.ZodUnion) {
    const variants = base.options as z.ZodTypeAny[];
    return mergeVariants(variants.map((variant) => {
      const label = unwrap(variant).description;
      if (!label) throw new Error(`a variant of ${prefix} has no description: describe it (e.g. "an existing cluster") so its keys can say which variant they belong to`);
      return memberRows(prefix, variant, walk, `for ${label}`);
    }), variants.length);
  }
  if (base instanceof z.ZodRecord) {
    const keyType = unwrap(base._def.keyType);
    const valueType: z.ZodTypeAny = base._def.valueType;
    if (keyType.base instanceof z.ZodEnum) {
      return (keyType.base.options as string[]).flatMap((name) =>
        keyRows(child(prefix, name), valueType, { ...walk, effective: effectiveOf(walk.effective, name) }, { optionalKey: true }));
    }
    const placeholder = `<${keyType.description ?? "name"}>`;
    return hasMembers(unwrap(valueType).base)
      ? memberRows(child(prefix, placeholder), valueType, { ...walk, effective: undefined })
      : keyRows(child(prefix, placeholder), valueType, { ...walk, effective: undefined }, { optionalKey: true });
  }
  return [];
}

function child(prefix: string, name: string): string {
  return prefix.endsWith(":") ? `${prefix}${name}` : `${prefix}.${name}`;
}

/**
 * One row per key across a union's variants: a key that every variant declares alike is
 * one row without a condition; one that some declare alike names them; otherwise each
 * variant's row stays, with its own condition.
 */
function mergeVariants(variantRows: Row[][], variantCount: number): Row[] {
  const order: string[] = [];
  const byKey = new Map<string, Row[]>();
  for (const rows of variantRows) {
    for (const row of rows) {
      if (!byKey.has(row.key)) {
        byKey.set(row.key, []);
        order.push(row.key);
      }
      byKey.get(row.key)!.push(row);
    }
  }
  return order.flatMap((key) => {
    const rows = byKey.get(key)!;
    const [first] = rows;
    const alike = rows.every((r) => r.type === first.type && r.default === first.default && r.description === first.description && r.optional === first.optional);
    if (!alike) return rows;
    const conditions = [...new Set(rows.map((r) => r.condition).filter((c): c is string => c !== undefined))];
    const everywhere = rows.length === variantCount || conditions.length === 0;
    return [{ ...first, condition: everywhere ? undefined : conditions.join(" or ") }];
  });
}

// ---------------------------------------------------------------------------------------
// Rendering types and values

function code(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function lengthText(min?: number, max?: number, unit = ""): string {
  const u = (n: number) => (unit ? ` ${unit}${n === 1 ? "" : "s"}` : "");
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min}${u(max)}` : `${min} to ${max}${u(max)}`;
  if (min !== undefined) return `at least ${min}${u(min)}`;
  if (max !== undefined) return `at most ${max}${u(max)}`;
  return "";
}

function stringText(schema: z.ZodString): string {
  const phrases: string[] = [];
  let min: number | undefined;
  let max: number | undefined;
  for (const check of schema._def.checks) {
    if (check.kind === "regex") phrases.push(check.message ?? `matching ${code(check.regex.source)}`);
    else if (check.kind === "email") phrases.push(check.message ?? "an email address");
    else if (check.kind === "url") phrases.push(check.message ?? "a URL");
    else if (check.kind === "min") min = check.value;
    else if (check.kind === "max") max = check.value;
    else if (check.kind === "length") min = max = check.value;
    else phrases.push(check.kind);
  }
  const nonEmpty = min === 1 && max === undefined;
  const length = nonEmpty ? "" : lengthText(min, max, "character");
  if (length) phrases.push(length);
  const noun = nonEmpty ? "non-empty string" : "string";
  return phrases.length > 0 ? `${noun}: ${phrases.join("; ")}` : noun;
}

function numberText(schema: z.ZodNumber): string {
  let integer = false;
  let min: { value: number; inclusive: boolean } | undefined;
  let max: { value: number; inclusive: boolean } | undefined;
  for (const check of schema._def.checks) {
    if (check.kind === "int") integer = true;
    else if (check.kind === "min") min = { value: check.value, inclusive: check.inclusive };
    else if (check.kind === "max") max = { value: check.value, inclusive: check.inclusive };
  }
  const noun = integer ? "integer" : "number";
  if (min?.inclusive && max?.inclusive) return `${noun} from ${min.value} to ${max.value}`;
  const bounds = [
    ...(min ? [`${min.inclusive ? "at least" : "above"} ${min.value}`] : []),
    ...(max ? [`${max.inclusive ? "at most" : "below"} ${max.value}`] : []),
  ];
  return bounds.length > 0 ? `${noun} ${bounds.join(" and ")}` : noun;
}

function typeText(schema: z.ZodTypeAny): string {
  const base = unwrap(schema).base;
  if (base instanceof z.ZodString) return stringText(base);
  if (base instanceof z.ZodNumber) return numberText(base);
  if (base instanceof z.ZodBoolean) return "boolean";
  if (base instanceof z.ZodEnum) return `one of ${(base.options as string[]).map(code).join(", ")}`;
  if (base instanceof z.ZodLiteral) return code(String(base._def.value));
  if (base instanceof z.ZodObject || base instanceof z.ZodDiscriminatedUnion) return "object";
  if (base instanceof z.ZodArray) {
    const item = unwrap(base._def.type).base;
    const length = lengthText(base._def.minLength?.value ?? base._def.exactLength?.value, base._def.maxLength?.value ?? base._def.exactLength?.value);
    return `list${length ? ` (${length})` : ""} of ${hasMembers(item) ? "objects" : typeText(item)}`;
  }
  if (base instanceof z.ZodUnion) {
    return hasMembers(base) ? "object" : (base.options as z.ZodTypeAny[]).map(typeText).join(", or ");
  }
  if (base instanceof z.ZodRecord) {
    const keyType = unwrap(base._def.keyType);
    const value = unwrap(base._def.valueType).base;
    const keys = keyType.base instanceof z.ZodEnum ? "keys listed below" : code(`<${keyType.description ?? "name"}>`);
    return `map from ${keys} to ${hasMembers(value) ? "object" : typeText(value)}`;
  }
  throw new Error(`the config reference cannot render a ${base.constructor.name}: teach stacks/config/reference.ts its type`);
}

/** A value as it would be written in YAML flow style. */
function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${k}: ${flow(v)}`).join(", ")} }`;
  }
  if (typeof value === "string") return value === "" || /[,[\]{}#:'"]|^\s|\s$/.test(value) ? JSON.stringify(value) : value;
  return String(value);
}

function formatDefault(value: unknown): string {
  if (value instanceof DefaultText) return value.markdown;
  if (value === undefined) return "";
  return code(typeof value === "string" ? value : flow(value));
}

// ---------------------------------------------------------------------------------------
// The table

export function referenceRows(schemas: ReferenceSchemas = PROJECT_SCHEMAS): ReferenceRow[] {
  return schemas.stacks.flatMap(({ stack, schema }) =>
    memberRows(`${CONFIG_NAMESPACE}:`, schema, { stack, schemas }).map(({ optional, condition, ...row }) => ({
      ...row,
      required: `${optional ? "no" : "yes"}${condition ? `, ${condition}` : ""}`,
    })));
}

/**
 * Markdown for a table cell: one line, `|` escaped (also inside code spans, as GFM
 * tables require), and `<` outside code spans escaped so `<account>` is not read as HTML.
 */
export function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, " ")
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, "\\<")))
    .join("")
    .replace(/\|/g, "\\|");
}

/** The generated block between the README's markers (markers excluded). */
export function renderConfigReference(schemas: ReferenceSchemas = PROJECT_SCHEMAS): string {
  const lines = [
    `<!-- Generated from the zod schemas by \`${REFERENCE_COMMAND}\` (stacks/config/reference.ts): edit the schemas' .describe() texts, not this table. -->`,
    "",
    "| key | stack | type / allowed values | default | required | description |",
    "|---|---|---|---|---|---|",
    ...referenceRows(schemas).map((row) =>
      `| ${[code(row.key), row.stack, row.type, row.default, row.required, row.description].map(cell).join(" | ")} |`),
  ];
  return lines.join("\n");
}

/** The text between the markers of a README, or undefined when a marker is missing. */
export function readmeReferenceBlock(readme: string): string | undefined {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + REFERENCE_START.length, end).replace(/^\n/, "").replace(/\n$/, "");
}

/** The README with its block replaced by `block`. */
export function withReferenceBlock(readme: string, block: string): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${REFERENCE_START} ... ${REFERENCE_END} markers in its "Config reference" section`);
  }
  return `${readme.slice(0, start + REFERENCE_START.length)}\n${block}\n${readme.slice(end)}`;
}

/** `npm run docs:config [-- --check]`: writes the table into README.md, or checks that it is current. */
function main(args: string[]): number {
  const readmePath = join(__dirname, "..", "..", "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const updated = withReferenceBlock(readme, renderConfigReference());
  if (args.includes("--check")) {
    if (updated === readme) return 0;
    console.error(`README.md's config reference is out of date with the schemas: run ${REFERENCE_COMMAND}`);
    return 1;
  }
  if (updated !== readme) writeFileSync(readmePath, updated);
  console.log(`README.md: config reference ${updated === readme ? "already current" : "updated"} (${referenceRows().length} keys)`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
