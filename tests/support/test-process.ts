/**
 * Settings of the whole test process, loaded by .mocharc.json before any test file.
 *
 * The AWS SDK prints once per process that its releases after January 2027 need Node 22.
 * The notifier itself runs on nodejs22.x in Lambda; the tests run on the project's Node
 * (engines: >=20), where the notice is noise no test run can act on.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { forgetMemos } from "../../policies/analysis/memo";
import { skippedForMissingTools } from "./tools";

/** Root hooks: before each test, empty the pack's memos; after the whole run, the suites skipped for a missing tool and how to install it. */
export const mochaHooks = {
  /** Each test computes the pack's lookups afresh: what it checks never rests on an earlier test's results. */
  beforeEach(): void {
    forgetMemos();
  },
  afterAll(): void {
    if (skippedForMissingTools.size === 0) return;
    console.warn(`\nSkipped for a missing tool (install it and run npm test again):`);
    for (const [suite, install] of skippedForMissingTools) console.warn(`  - ${suite}: ${install}`);
  },
};
