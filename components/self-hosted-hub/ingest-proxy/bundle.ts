/**
 * The ingest proxy's code as one CommonJS file for the stock Node image (it is copied in
 * from the config bucket at task start: no image of our own to build and scan).
 */
import { existsSync } from "fs";
import * as path from "path";

export const INGEST_PROXY_NODE_TARGET = "node22";

export async function bundleIngestProxy(): Promise<string> {
  // Loaded on demand: esbuild is a build-time tool, not something the deployed program needs.
  const esbuild = await import("esbuild");
  const typescript = path.join(__dirname, "main.ts");
  const result = await esbuild.build({
    entryPoints: [existsSync(typescript) ? typescript : path.join(__dirname, "main.js")],
    bundle: true,
    platform: "node",
    target: INGEST_PROXY_NODE_TARGET,
    format: "cjs",
    minify: true,
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}
