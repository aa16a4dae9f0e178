// Where the file reporters (json, junit, html) write, and the writing itself. A report that cannot be
// written is a ReportError: exit 2 with one line, found before the run where it can be (a folder that
// cannot be made) and otherwise before the console prints its verdict.
import fs from 'node:fs';
import path from 'node:path';
import type { RunReport } from '../runner.ts';
import { htmlReport } from './html.ts';
import { jsonReport, jsonReportChunks } from './json.ts';
import { junitReport } from './junit.ts';

export const FILE_REPORTERS = ['json', 'junit', 'html'] as const;
export type FileReporter = (typeof FILE_REPORTERS)[number];
export const isFileReporter = (name: string): name is FileReporter => (FILE_REPORTERS as readonly string[]).includes(name);

/** The names inside an `--output` folder. */
export const FOLDER_NAMES: Record<FileReporter, string> = { json: 'report.json', junit: 'junit.xml', html: 'report.html' };
/** The names in the working directory when there is no `--output`. */
export const DEFAULT_NAMES: Record<FileReporter, string> = { json: 'conformance-report.json', junit: 'conformance-junit.xml', html: 'conformance-report.html' };

export class ReportError extends Error {}

export interface ReportTarget {
  reporter: FileReporter;
  /** Absolute path; undefined writes to stdout. */
  file?: string;
}

export interface ReportPlan {
  targets: ReportTarget[];
  /** The folder to create before the run, when --output names one. */
  folder?: string;
}

/**
 * `--output` is a folder when it ends with a slash, exists as a folder, or several file reporters
 * are asked for; else it is the one file reporter's file. Without `--output` each writes its default
 * name in the working directory, except json alone, which goes to stdout.
 */
export function planReports(reporters: FileReporter[], output: string | undefined, opts: { cwd: string; jsonToStdout: boolean }): ReportPlan {
  const unique = [...new Set(reporters)];
  if (output === undefined || output === '') {
    return { targets: unique.map((r) => (r === 'json' && opts.jsonToStdout ? { reporter: r } : { reporter: r, file: path.resolve(opts.cwd, DEFAULT_NAMES[r]) })) };
  }
  const resolved = path.resolve(opts.cwd, output);
  const folder = /[/\\]$/.test(output) || isFolder(resolved) || unique.length > 1;
  if (!folder) return { targets: unique.map((r) => ({ reporter: r, file: resolved })) };
  return { folder: resolved, targets: unique.map((r) => ({ reporter: r, file: path.join(resolved, FOLDER_NAMES[r]) })) };
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Creates the output folder (or a file's parent folder) before the run, so a bad --output costs no requests. */
export function prepareReports(plan: ReportPlan, cwd: string): void {
  const folders = new Set(plan.folder ? [plan.folder] : plan.targets.flatMap((t) => (t.file ? [path.dirname(t.file)] : [])));
  for (const folder of folders) {
    try {
      fs.mkdirSync(folder, { recursive: true });
    } catch (err) {
      throw new ReportError(`cannot create the report folder ${shown(folder, cwd)}: ${reason(err)}`);
    }
    if (!isFolder(folder)) throw new ReportError(`cannot create the report folder ${shown(folder, cwd)}: a file of that name exists`);
  }
}

/** Writes every report; returns the lines that say where, or throws a ReportError naming the first that failed. */
export function writeReports(plan: ReportPlan, report: RunReport, io: { cwd: string; stdout: { write(text: string): unknown } }): string[] {
  const written: string[] = [];
  for (const { reporter, file } of plan.targets) {
    if (!file) {
      io.stdout.write(render(reporter, report));
      continue;
    }
    try {
      if (reporter === 'json') writeChunks(file, jsonReportChunks(report));
      else fs.writeFileSync(file, render(reporter, report));
    } catch (err) {
      throw new ReportError(`cannot write the ${reporter} report to ${shown(file, io.cwd)}: ${reason(err)}`);
    }
    written.push(`${reporter} report: ${shown(file, io.cwd)}`);
  }
  return written;
}

/** Writes the pieces in blocks of about 1 MB: the whole text is never one string. */
function writeChunks(file: string, chunks: Iterable<string>): void {
  const fd = fs.openSync(file, 'w');
  try {
    let block = '';
    for (const chunk of chunks) {
      block += chunk;
      if (block.length >= 1 << 20) {
        fs.writeSync(fd, block);
        block = '';
      }
    }
    if (block !== '') fs.writeSync(fd, block);
  } finally {
    fs.closeSync(fd);
  }
}

function render(r: FileReporter, report: RunReport): string {
  if (r === 'json') return jsonReport(report);
  if (r === 'junit') return junitReport(report);
  return htmlReport(report);
}

const shown = (p: string, cwd: string) => path.relative(cwd, p) || p;

const REASONS: Record<string, string> = {
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is a file',
  EEXIST: 'a file of that name exists',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

function reason(err: unknown): string {
  const code = (err as { code?: string })?.code;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return code ?? (err instanceof Error ? err.message.split('\n')[0]! : String(err));
}
