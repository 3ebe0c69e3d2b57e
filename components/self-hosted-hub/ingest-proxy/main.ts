/**
 * The proxy's container entry: `node main.js <config.json>`. The query token (and any fixed
 * account's token) comes from the environment variables the config names (ECS fills them
 * from Secrets Manager); the accounts' tokens from the token directory, re-read periodically.
 */
import { readFileSync } from "fs";
import { Credentials } from "./credentials";
import { IngestProxyConfig } from "./proxy-config";
import { createIngestProxy, ProxyLog } from "./server";

const jsonLog: ProxyLog = {
  info: (message, fields) => console.log(JSON.stringify({ level: "info", message, ...fields })),
  warn: (message, fields) => console.log(JSON.stringify({ level: "warn", message, ...fields })),
};

/** Reads the directory now and then every `tokenRefreshSeconds`; a failed read keeps the tokens it had. */
export function watchTokenDirectory(credentials: Credentials, directory: string, refreshSeconds: number, log: ProxyLog): () => void {
  let last = "";
  const read = () => {
    try {
      const result = credentials.readDirectory(directory);
      const summary = JSON.stringify(result);
      if (summary !== last) log.info("ingest credentials read", { directory, ...result });
      last = summary;
    } catch (error) {
      log.warn("ingest credentials not re-read; keeping the previous ones", { directory, error: String(error) });
    }
  };
  read();
  const timer = setInterval(read, refreshSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

export function startIngestProxy(configFile: string, env: NodeJS.ProcessEnv = process.env): void {
  const config = JSON.parse(readFileSync(configFile, "utf8")) as IngestProxyConfig;
  const credentials = new Credentials(config, env);
  const stopWatching = watchTokenDirectory(credentials, config.tokensDirectory, config.tokenRefreshSeconds, jsonLog);
  const server = createIngestProxy(config, credentials, jsonLog);
  server.listen(config.listen.port, config.listen.host, () => jsonLog.info("listening", { ...config.listen, tokensDirectory: config.tokensDirectory }));
  process.on("SIGTERM", () => {
    stopWatching();
    server.close(() => process.exit(0));
  });
}

if (require.main === module) {
  const configFile = process.argv[2];
  if (!configFile) {
    console.error("usage: main <ingest-proxy-config.json>");
    process.exit(2);
  }
  startIngestProxy(configFile);
}
