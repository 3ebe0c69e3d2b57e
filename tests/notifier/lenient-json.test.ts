import { expect } from "chai";
import { parseJsonObjectLeniently } from "../../components/alert-pipeline/notifier/lenient-json";

describe("notifier lenient JSON reader", () => {
  it("returns valid JSON untouched, without claiming repairs", () => {
    expect(parseJsonObjectLeniently('{"a":[1,2,{"b":"c"}]}')).to.deep.equal({ value: { a: [1, 2, { b: "c" }] }, repaired: false, truncated: false });
  });

  it("reads raw control characters, stray quotes and invalid escapes inside strings", () => {
    const result = parseJsonObjectLeniently('{"s":"say "hi", then\tgo\n","p":"C:\\data","n":1}');
    expect(result).to.deep.equal({ value: { s: 'say "hi", then\tgo\n', p: "C:\\data", n: 1 }, repaired: true, truncated: false });
  });

  it("keeps complete members of a cut-off document and drops the partial one", () => {
    const result = parseJsonObjectLeniently('{"status":"firing","alerts":[{"a":1},{"a":2},{"a":3,"b":"unfinish');
    expect(result).to.deep.equal({ value: { status: "firing", alerts: [{ a: 1 }, { a: 2 }] }, repaired: false, truncated: true });
  });

  it("treats a number or literal at the very end as possibly cut", () => {
    expect(parseJsonObjectLeniently('{"a":"x","n":12')?.value).to.deep.equal({ a: "x" });
    expect(parseJsonObjectLeniently('{"a":"x","t":tr')?.value).to.deep.equal({ a: "x" });
  });

  it("refuses what is not an object at all, and hostile nesting", () => {
    expect(parseJsonObjectLeniently("hello")).to.equal(undefined);
    expect(parseJsonObjectLeniently("[1,2]")).to.equal(undefined);
    expect(parseJsonObjectLeniently('{"a": nonsense}')).to.equal(undefined);
    expect(parseJsonObjectLeniently(`{"a":${"[".repeat(100000)}`)).to.equal(undefined);
  });
});
