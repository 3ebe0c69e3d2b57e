import { expect } from "chai";
import { existsSync, readFileSync, readdirSync } from "fs";
import { join } from "path";
import { PROJECT_DIR } from "../support/org-model";

const HEADER = "| path | what lives there |";
/** Never part of the project's layout: dependencies, plan output, git. Gitignored folders are skipped too. */
const NOT_PROJECT_FOLDERS = ["node_modules", "out", ".git"];

/** The paths in the first column of the README's path table (section "Architecture"). */
function tablePaths(readme: string): string[] {
  const lines = readme.split("\n");
  const start = lines.indexOf(HEADER);
  expect(start, `README.md has no path table (a line "${HEADER}")`).to.be.greaterThan(-1);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line);
  }
  return rows.flatMap((line) => [...line.split("|")[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

function gitignoredNames(): string[] {
  return readFileSync(join(PROJECT_DIR, ".gitignore"), "utf8").split("\n")
    .map((line) => line.trim().replace(/^\//, "").replace(/\/$/, ""))
    .filter((line) => line !== "" && !line.startsWith("#") && !/[*/]/.test(line));
}

function folders(relative: string): string[] {
  const skip = relative === "" ? [...NOT_PROJECT_FOLDERS, ...gitignoredNames()] : [];
  return readdirSync(join(PROJECT_DIR, relative), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !skip.includes(entry.name))
    .map((entry) => `${relative}${entry.name}/`)
    .sort();
}

/** The project root's folders, those of components/, stacks/ and policies/, and each component's own folders. */
function projectFolders(): string[] {
  const top = folders("");
  const second = ["components/", "stacks/", "policies/"].filter((dir) => top.includes(dir)).flatMap((dir) => folders(dir));
  const components = second.filter((dir) => dir.startsWith("components/")).flatMap((dir) => folders(dir));
  return [...top, ...second, ...components];
}

describe("README path table", () => {
  const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
  const listed = tablePaths(readme);

  it("lists every folder of the project root, of components/, stacks/ and policies/, and of each component", () => {
    const found = projectFolders();
    expect(found).to.include.members(["components/", "stacks/", "policies/", "tests/", "bench/", ".ci/",
      "components/alert-pipeline/", "components/alert-pipeline/notifier/", "stacks/config/", "policies/rules/"]);
    const missing = found.filter((folder) => !listed.includes(folder));
    expect(missing, "folders missing from README.md's path table (section Architecture): add a row for each").to.deep.equal([]);
  });

  it("names only paths that exist, and says which file is Pulumi's entry point", () => {
    const stale = listed.filter((path) => !existsSync(join(PROJECT_DIR, path)));
    expect(stale, "paths in README.md's path table that do not exist").to.deep.equal([]);
    const main = JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")).main as string;
    const stacksRow = readme.split("\n").find((line) => line.startsWith("| `stacks/` |"));
    expect(stacksRow, "a row for stacks/").to.be.a("string");
    expect(stacksRow).to.include(`\`${main.replace(/^stacks\//, "")}\` is the entry Pulumi runs`);
  });
});
