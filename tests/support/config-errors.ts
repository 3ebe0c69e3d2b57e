import { expect } from "chai";
import { ConfigError, ConfigErrors } from "../../stacks/config/errors";

/** Asserts the error names the stack, the key and a fix. */
export function expectConfigError(run: () => unknown, key: string, problem: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, "expected a configuration error").to.exist;
  const errors = thrown instanceof ConfigErrors ? thrown.errors : [thrown as ConfigError];
  const match = errors.find((e) => e instanceof ConfigError && e.key === key && problem.test(e.problem));
  expect(match, `no error on ${key} matching ${problem}; got:\n${(thrown as Error).message}`).to.exist;
  expect(match!.message).to.include('stack "');
  expect(match!.message).to.include(`config key "${key}"`);
  expect(match!.fix.length).to.be.greaterThan(10);
}
