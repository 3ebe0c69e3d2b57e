/**
 * Builds the notifier Lambda's code: one CommonJS file exporting `handler`, with the AWS
 * SDK left to the Node.js runtime, which ships it.
 */
import { existsSync } from "fs";
import * as path from "path";
import { NOTIFIER_BUNDLE_TARGET } from "../hub/lambda-settings";

export interface NotifierBundle {
  /** index.js for the Lambda asset. */
  code: string;
  bytes: number;
  /** Modules the bundle still requires at run time: only Node built-ins and @aws-sdk/*. */
  externalImports: string[];
}

export function notifierEntryPoint(): string {
  const typescript = path.join(__dirname, "lambda.ts");
  return existsSync(typescript) ? typescript : path.join(__dirname, "lambda.js");
}

export async function bundleNotifier(): Promise<NotifierBundle> {
  // Loaded on demand: esbuild is a build-time tool, not something the deployed program needs.
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [notifierEntryPoint()],
    bundle: true,
    platform: "node",
    target: NOTIFIER_BUNDLE_TARGET,
    format: "cjs",
    minify: true,
    external: ["@aws-sdk/*"],
    write: false,
    metafile: true,
    legalComments: "none",
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  const externalImports = new Set<string>();
  for (const file of Object.values(result.metafile.outputs)) {
    for (const imported of file.imports) if (imported.external) externalImports.add(imported.path);
  }
  return { code: output.text, bytes: output.contents.byteLength, externalImports: [...externalImports].sort() };
}
