// What every subcommand of the bin gets: where to print, where it runs, its environment. Tests pass
// their own; the bin passes the process's.
export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** A bad flag, file or value: the command prints `<command>: <message>` on stderr and exits 2. */
export class UsageError extends Error {}

/**
 * Colour as the conventions say (no-color.org, FORCE_COLOR of chalk and Node): FORCE_COLOR other
 * than 0/false forces it, NO_COLOR (any non-empty value) turns it off, else a terminal gets it.
 */
export function wantsColor(out: Writable, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return out.isTTY === true;
}

/** `--check a,b --check c` -> [a, b, c]: repeatable options that also take comma lists. */
export function commaList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** A TCP port 0..65535 from a flag or PORT; anything else is a UsageError naming where it came from. */
export function portOf(text: string, from: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${from} ${text} is not a port (0-65535)`);
  return n;
}

/** parseArgs' complaint in one short line: its first sentence (the hint about '--' that follows is noise here). */
export function argsProblem(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `${message.split(/\.\s/)[0]} (see --help)`;
}

/** Runs a command; a UsageError it throws becomes `<name>: <message>` on stderr and exit 2. */
export async function exitTwoOnUsageError(name: string, io: CliIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
