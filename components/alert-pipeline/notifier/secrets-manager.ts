/**
 * The Lambda's secrets: AWS Secrets Manager GetSecretValue through the Powertools for AWS
 * Lambda Parameters utility (`SecretsProvider`), which keeps each value for its max age (per
 * Lambda container when created at module scope) and never caches a failed read. Around it:
 * concurrent callers share one fetch, `invalidate` makes the next read bypass the cache, and
 * a failed read throws the SDK's own error (e.g. `ResourceNotFoundException`), so the
 * notifier can name it per destination. The SDK ships with the Node.js runtime.
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import { CachedSecretSource, DEFAULT_SECRET_TTL_MS } from "./secrets";

export function secretsManagerSecretSource(
  options: { client?: SecretsManagerClient; ttlMs?: number } = {},
): CachedSecretSource {
  const provider = new SecretsProvider(options.client ? { awsSdkV3Client: options.client } : {});
  // Powertools counts max age in whole seconds.
  const maxAge = Math.max(1, Math.round((options.ttlMs ?? DEFAULT_SECRET_TTL_MS) / 1000));
  const inFlight = new Map<string, Promise<string>>();
  const invalidated = new Set<string>();
  return {
    getSecretString(secretId) {
      const pending = inFlight.get(secretId);
      if (pending) return pending;
      const forceFetch = invalidated.delete(secretId);
      const value = provider.get(secretId, { maxAge, forceFetch }).then(
        (secret) => {
          if (typeof secret !== "string") throw new Error(`secret ${secretId} has no SecretString (binary secrets are not supported)`);
          return secret;
        },
        (error: unknown) => {
          // GetParameterError wraps the SDK's error: hand on the original, whose name says what went wrong.
          throw error instanceof Error && error.name === "GetParameterError" && error.cause instanceof Error ? error.cause : error;
        },
      );
      inFlight.set(secretId, value);
      const settle = () => {
        if (inFlight.get(secretId) === value) inFlight.delete(secretId);
      };
      value.then(settle, settle);
      return value;
    },
    invalidate(secretId) {
      inFlight.delete(secretId);
      invalidated.add(secretId);
    },
  };
}
