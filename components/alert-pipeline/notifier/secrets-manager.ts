/** The Lambda's SecretSource: AWS Secrets Manager GetSecretValue (the SDK ships with the Node 20 runtime). */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SecretSource } from "./secrets";

export function secretsManagerSecretSource(client: SecretsManagerClient = new SecretsManagerClient({})): SecretSource {
  return {
    async getSecretString(secretId) {
      const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (typeof response.SecretString !== "string") {
        throw new Error(`secret ${secretId} has no SecretString (binary secrets are not supported)`);
      }
      return response.SecretString;
    },
  };
}
