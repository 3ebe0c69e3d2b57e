/**
 * The engine's provider rule, which mocks do not enforce: with
 * `pulumi:disable-default-providers` listing a package (or "*"), every resource of that
 * package, and every remote component, must name an explicit provider of that package,
 * and so must every invoke. A real `pulumi preview` refuses the stack otherwise.
 */

export interface ProviderRuleInput {
  type: string;
  name: string;
  custom: boolean;
  remote: boolean;
  /** Provider reference of a custom resource (`<provider urn>::<id>`), "" when none. */
  provider: string;
  /** Package -> provider reference, as sent for components (remote ones in particular). */
  providers: Record<string, string>;
}

/** Packages whose default provider the stack disables, from the config value as written. */
export function disabledDefaultProviders(configValue: unknown): string[] {
  if (configValue === undefined || configValue === null) return [];
  const parsed = typeof configValue === "string" ? JSON.parse(configValue) : configValue;
  if (!Array.isArray(parsed)) throw new Error("pulumi:disable-default-providers must be a list of package names or \"*\"");
  return parsed.map(String);
}

export function packageOfType(type: string): string {
  return type.split(":")[0];
}

/** Package of the provider a reference points at: `urn:...$pulumi:providers:<pkg>::<name>::<id>`. */
export function packageOfProviderRef(ref: string): string | undefined {
  return /[:$]pulumi:providers:([^:]+)::/.exec(ref)?.[1];
}

function isDisabled(pkg: string, disabled: string[]): boolean {
  return disabled.includes("*") || disabled.includes(pkg);
}

/** Why the engine would refuse this registration, or undefined when it would accept it. */
export function providerRuleViolation(resource: ProviderRuleInput, disabled: string[]): string | undefined {
  const pkg = packageOfType(resource.type);
  if (pkg === "pulumi" || resource.type.startsWith("pulumi:providers:")) return undefined;
  if (!resource.custom && !resource.remote) return undefined;
  if (!isDisabled(pkg, disabled)) return undefined;
  const refs = resource.custom ? [resource.provider] : [resource.provider, ...Object.values(resource.providers)];
  if (refs.some((ref) => ref !== "" && packageOfProviderRef(ref) === pkg)) return undefined;
  const kind = resource.remote ? "remote component" : "resource";
  return `${kind} ${resource.type} "${resource.name}" has no explicit "${pkg}" provider, and the stack disables default providers ` +
    `(pulumi:disable-default-providers): pass a ${pkg}.Provider in its options (providers: { ${pkg}: ... })`;
}

/** Same rule for invokes (data sources such as aws.eks.getCluster). */
export function invokeRuleViolation(token: string, providerRef: string | undefined, disabled: string[]): string | undefined {
  const pkg = packageOfType(token);
  if (pkg === "pulumi" || !isDisabled(pkg, disabled)) return undefined;
  if (providerRef && packageOfProviderRef(providerRef) === pkg) return undefined;
  return `invoke ${token} has no explicit "${pkg}" provider, and the stack disables default providers: pass { provider } to it`;
}
