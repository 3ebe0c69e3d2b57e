/**
 * Reading back a generated credential. `getRandomPassword` returns a new value on every run,
 * so a generated credential is written once into a secret version whose `secretString` then
 * ignores changes; what a stack hands on is that stored version's field, kept a Pulumi secret.
 */
import * as pulumi from "@pulumi/pulumi";

/** The stored version's `field`, as a secret; refused when the version holds no usable value. */
export function storedSecretField(secretString: pulumi.Output<string | undefined>, field: string, secretName: string): pulumi.Output<string> {
  return pulumi.secret(secretString.apply((stored) => {
    const value = (JSON.parse(stored ?? "{}") as Record<string, unknown>)[field];
    if (typeof value !== "string" || value.length < 16) {
      throw new Error(`Secrets Manager secret ${secretName} holds no usable "${field}" field`);
    }
    return value;
  }));
}
