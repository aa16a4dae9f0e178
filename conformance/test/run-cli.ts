// Runs the CLI in-process and captures what it prints.
import { runCli } from '../cli.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliCaptured(argv: string[], cwd = process.cwd()): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd,
  });
  return { code, stdout, stderr };
}

export const NOTES_CONFIG = 'conformance/test/fixtures/notes.config.json';
