/**
 * One screen per mutation run: for each mutated file, how many mutants the tests killed, how
 * many survived or ran no test, and the score, read from Stryker's reports
 * (`reports/mutation/<group>/mutation.json`). Also writes the same table to
 * `reports/mutation/summary.md`.
 *
 *   npx ts-node --transpile-only mutation/summary.ts [group...] [--survivors]
 *
 * `--survivors` lists each surviving (or uncovered) mutant with its line and replacement.
 * Exits 1 when a group's report is missing or unreadable, or when a group ran no mutant.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const REPORTS = path.join(ROOT, "reports", "mutation");

/** The parts of Stryker's mutation-testing-report-schema this summary reads. */
interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: MutantStatus;
  location: { start: { line: number; column: number } };
}
type MutantStatus = "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending";
interface MutationReport {
  files: Record<string, { mutants: ReportMutant[] }>;
}

export interface FileScore {
  file: string;
  killed: number;
  timedOut: number;
  survived: number;
  noCoverage: number;
  /** Run only while files load (see ignoreStatic in stryker.base.mjs): not run, not in the score. */
  ignored: number;
  /** Compile or runtime errors: not in the score, as Stryker counts it. */
  errors: number;
}

/** Stryker's mutation score: detected (killed or timed out) over all valid mutants. */
export function scoreOf(counts: Omit<FileScore, "file">): number {
  const valid = counts.killed + counts.timedOut + counts.survived + counts.noCoverage;
  return valid === 0 ? 100 : (100 * (counts.killed + counts.timedOut)) / valid;
}

export function fileScores(report: MutationReport): FileScore[] {
  return Object.entries(report.files)
    .map(([file, { mutants }]) => {
      const count = (...statuses: MutantStatus[]) => mutants.filter((m) => statuses.includes(m.status)).length;
      return {
        file,
        killed: count("Killed"),
        timedOut: count("Timeout"),
        survived: count("Survived"),
        noCoverage: count("NoCoverage"),
        ignored: count("Ignored"),
        errors: count("CompileError", "RuntimeError"),
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

export function totalOf(files: FileScore[], label: string): FileScore {
  const sum = (key: keyof Omit<FileScore, "file">) => files.reduce((n, f) => n + f[key], 0);
  return {
    file: label, killed: sum("killed"), timedOut: sum("timedOut"), survived: sum("survived"), noCoverage: sum("noCoverage"), ignored: sum("ignored"), errors: sum("errors"),
  };
}

function row(score: FileScore): string {
  const cells = [score.killed, score.timedOut, score.survived, score.noCoverage, score.ignored, score.errors].map(String);
  const valid = score.killed + score.timedOut + score.survived + score.noCoverage;
  return `| ${score.file} | ${cells.join(" | ")} | ${valid === 0 ? "n/a" : `${scoreOf(score).toFixed(1)}%`} |`;
}

const HEADER = ["| file | killed | timeout | survived | no coverage | static (not run) | errors | score |", "|---|---:|---:|---:|---:|---:|---:|---:|"];

function readReport(group: string): MutationReport {
  const file = path.join(REPORTS, group, "mutation.json");
  if (!fs.existsSync(file)) throw new Error(`no report for group "${group}" at ${path.relative(ROOT, file)}: run npm run mutation -- ${group}`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as MutationReport;
}

function survivorLines(report: MutationReport): string[] {
  const lines: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    for (const m of mutants.filter((m) => m.status === "Survived" || m.status === "NoCoverage").sort((a, b) => a.location.start.line - b.location.start.line)) {
      const replacement = (m.replacement ?? "").replace(/\s+/g, " ").slice(0, 100);
      lines.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName} -> ${replacement}`);
    }
  }
  return lines;
}

function main(argv: string[]): number {
  const listSurvivors = argv.includes("--survivors");
  const requested = argv.filter((a) => !a.startsWith("--"));
  const groups = requested.length > 0 ? requested : fs.existsSync(REPORTS) ? fs.readdirSync(REPORTS).filter((d) => fs.existsSync(path.join(REPORTS, d, "mutation.json"))).sort() : [];
  if (groups.length === 0) {
    console.error("no mutation reports under reports/mutation: run npm run mutation");
    return 1;
  }
  const out: string[] = [];
  const groupTotals: FileScore[] = [];
  const survivors: string[] = [];
  for (const group of groups) {
    const report = readReport(group);
    const files = fileScores(report);
    const total = totalOf(files, `**${group} (all files)**`);
    // A group that ran no mutant measures nothing: its config or Stryker is broken.
    if (total.killed + total.timedOut + total.survived + total.noCoverage === 0) throw new Error(`group "${group}" ran no mutant: check mutation/${group}.stryker.mjs`);
    groupTotals.push({ ...total, file: group });
    out.push(`### ${group}`, "", ...HEADER, ...files.map(row), row(total), "");
    if (listSurvivors) survivors.push(...survivorLines(report));
  }
  out.push("### all groups", "", ...HEADER, ...groupTotals.map(row), row(totalOf(groupTotals, "**all**")), "");
  const text = out.join("\n");
  fs.mkdirSync(REPORTS, { recursive: true });
  fs.writeFileSync(path.join(REPORTS, "summary.md"), text);
  console.log(text);
  if (listSurvivors) console.log(["Surviving and uncovered mutants:", ...survivors].join("\n"));
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
