/** Pulumi's entry point (package.json "main"): the stack's outputs are what runStack returns. */
import { runStack } from "./index";

export = runStack();
