/**
 * The proxy's container entry: `node main.js <config.json>`. Credentials come from the
 * environment variables the config names (ECS fills them from Secrets Manager).
 */
import { readFileSync } from "fs";
import { Credentials } from "./credentials";
import { IngestProxyConfig } from "./proxy-config";
import { createIngestProxy, ProxyLog } from "./server";

const jsonLog: ProxyLog = {
  info: (message, fields) => console.log(JSON.stringify({ level: "info", message, ...fields })),
  warn: (message, fields) => console.log(JSON.stringify({ level: "warn", message, ...fields })),
};

export function startIngestProxy(configFile: string, env: NodeJS.ProcessEnv = process.env): void {
  const config = JSON.parse(readFileSync(configFile, "utf8")) as IngestProxyConfig;
  const server = createIngestProxy(config, new Credentials(config, env), jsonLog);
  server.listen(config.listen.port, config.listen.host, () => jsonLog.info("listening", { ...config.listen, accounts: config.tenants.length }));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

if (require.main === module) {
  const configFile = process.argv[2];
  if (!configFile) {
    console.error("usage: main <ingest-proxy-config.json>");
    process.exit(2);
  }
  startIngestProxy(configFile);
}
