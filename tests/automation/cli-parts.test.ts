import { expect } from "chai";
import { DEFAULT_PARALLEL, parseDeployArgs } from "../../stacks/automation/args";
import { mapBounded } from "../../stacks/automation/bounded";
import { createLinePrefixer } from "../../stacks/automation/line-prefixer";

describe("deploy arguments", () => {
  it("reads every option", () => {
    expect(parseDeployArgs(["--env", "prod", "--preview", "--only", "payments", "--parallel", "2", "--org", "acme", "--force"]))
      .to.deep.equal({ environment: "prod", preview: true, only: "payments", parallel: 2, org: "acme", force: true });
  });

  it("defaults to an update with a bound of DEFAULT_PARALLEL", () => {
    expect(parseDeployArgs(["--env", "dev"])).to.deep.equal({
      environment: "dev", preview: false, parallel: DEFAULT_PARALLEL, only: undefined, org: undefined, force: false,
    });
  });

  it("rejects a missing env, a bad bound, a missing value and unknown arguments", () => {
    expect(() => parseDeployArgs(["--preview"])).to.throw("--env is required");
    expect(() => parseDeployArgs(["--env", "dev", "--parallel", "0"])).to.throw("--parallel must be a positive integer, got 0");
    expect(() => parseDeployArgs(["--env", "dev", "--parallel", "two"])).to.throw("--parallel must be a positive integer");
    expect(() => parseDeployArgs(["--env", "--preview"])).to.throw("--env needs a value");
    expect(() => parseDeployArgs(["--env", "dev", "--yes"])).to.throw("unknown argument --yes");
  });
});

describe("line prefixer", () => {
  it("emits only whole lines, each prefixed, and the trailing part on flush", () => {
    const lines: string[] = [];
    const prefixer = createLinePrefixer("[dev] ", (line) => lines.push(line));
    prefixer.push("Previewing upd");
    expect(lines).to.deep.equal([]);
    prefixer.push("ate (dev)\r\n\n  + aws:iam:Role");
    prefixer.push(" ingest\nResources:");
    prefixer.flush();
    prefixer.flush();
    expect(lines).to.deep.equal(["[dev] Previewing update (dev)", "[dev] ", "[dev]   + aws:iam:Role ingest", "[dev] Resources:"]);
  });
});

describe("bounded map", () => {
  it("keeps results in input order whatever order tasks finish in", async () => {
    const gates = [0, 1, 2, 3].map(() => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      return { gate, open };
    });
    const running = mapBounded([0, 1, 2, 3], 4, async (i) => {
      await gates[i].gate;
      return i * 10;
    });
    for (const i of [3, 1, 0, 2]) gates[i].open();
    expect(await running).to.deep.equal([0, 10, 20, 30]);
  });

  it("tells each task its worker, and a worker never runs two tasks at once", async () => {
    const busy = new Set<number>();
    const seen: number[] = [];
    let clash = false;
    await mapBounded(Array.from({ length: 12 }, (_, i) => i), 3, async (item, index, worker) => {
      expect(index).to.equal(item);
      if (busy.has(worker)) clash = true;
      busy.add(worker);
      seen.push(worker);
      await new Promise((resolve) => setTimeout(resolve, (item * 7) % 5));
      busy.delete(worker);
    });
    expect(clash).to.equal(false);
    expect(new Set(seen)).to.deep.equal(new Set([0, 1, 2]));
  });

  it("rejects a bound that is not a positive integer", async () => {
    const failure = await mapBounded([1], 0, async (i) => i).then(() => undefined, (e: Error) => e);
    expect(failure!.message).to.equal("concurrency bound must be a positive integer, got 0");
  });
});
