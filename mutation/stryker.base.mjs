/**
 * Settings every mutation run shares. Each `<group>.stryker.mjs` beside this file names the
 * files it mutates and the fast tests that cover them; `mutation/run.sh` runs the groups.
 */
/** A mocha grep that runs every test except those whose title contains one of `titles`. */
function skipping(titles) {
  const escaped = titles.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return `^(?!.*(${escaped.join("|")}))`;
}

/**
 * `skip`: tests left out of the mutation run, each for a reason given where the group names it
 * (a whole environment's plan or a child process: seconds per mutant, or not instrumented).
 */
/**
 * `runStatic`: also run the mutants met only while files load (constants, templates, the
 * allow-list), each in a fresh test process with every test of the group: affordable only for
 * groups whose tests start quickly.
 */
export function mutationGroup({ name, mutate, spec, skip = [], thresholds, runStatic = false }) {
  return {
    $schema: "../node_modules/@stryker-mutator/core/schema/stryker-schema.json",
    packageManager: "npm",
    testRunner: "mocha",
    mutate,
    // The project's .mocharc.json (ts-node, root hooks) with only this group's tests.
    mochaOptions: { config: ".mocharc.json", spec, ...(skip.length ? { grep: skipping(skip) } : {}) },
    // Each mutant runs only the tests that executed it; code run in a before() hook or at
    // load counts as static and is run against every test of the group.
    coverageAnalysis: "perTest",
    // A mutant executed only while files load (module-level tables, rule definitions) needs a
    // fresh test process per mutant (the mocha runner cannot reload files): minutes for the
    // larger groups. Unless the group runs them, they are reported as Ignored, counted apart
    // in the summary, and named in README.
    ignoreStatic: !runStatic,
    concurrency: 2,
    // promtool and amtool runs are slow on a busy machine: a mutant that makes them hang is
    // a timeout (counted as detected), not a false survivor. Generous for the in-process groups
    // too: after a timeout or a static mutant Stryker starts a fresh test process, which loads
    // (and ts-node compiles) every test file inside the next mutant's run. At 5 s, on a busy
    // machine, edits of messages right after such a restart were reported as timeouts.
    timeoutMS: 20000,
    timeoutFactor: 2,
    reporters: ["progress", "json", "html"],
    jsonReporter: { fileName: `reports/mutation/${name}/mutation.json` },
    htmlReporter: { fileName: `reports/mutation/${name}/index.html` },
    tempDirName: ".stryker-tmp",
    ignorePatterns: ["out", "reports", "bench/results.json", ".pulumi"],
    thresholds: thresholds ?? { high: 85, low: 80, break: null },
  };
}
