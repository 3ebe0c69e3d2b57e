import { expect } from "chai";
import { ConfigError, ConfigErrors } from "../../stacks/config/errors";
import { validateHubConfig } from "../../stacks/config/validate";
import { hubRawConfig } from "./org-model";

/** A bad case derived from a committed organisation model: title, edit, the key named, the problem. */
export type HubConfigCase = [string, (raw: Record<string, any>) => void, string, RegExp];

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

/** One test per case: the edited `Pulumi.<environment>.yaml` is refused, naming the key. */
export function itRejectsHubConfig(environment: string, cases: HubConfigCase[]): void {
  for (const [title, mutate, key, problem] of cases) {
    it(`rejects ${title}, naming ${key}`, () => {
      const raw = hubRawConfig(environment);
      mutate(raw);
      expectConfigError(() => validateHubConfig(environment, raw), key, problem);
    });
  }
}
