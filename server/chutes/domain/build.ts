// The image build: a build waits in the queue, runs one step per Dockerfile instruction (writing log
// lines as it goes), then pushes. A RUN step whose command exits non-zero (`exit 3`, `false`) fails the
// build. Nothing is scheduled: the plan (times, outcome, every log line) is computed once when the
// image is created and kept on its row; status, build times and the lines visible at `now` are read
// off it, so an injected clock drives it and a read costs the same for any Dockerfile.
import { createHash } from 'node:crypto';
import type { StoredImage } from './model.ts';

export const QUEUE_MS = 2_000;
export const STEP_MS = 1_000;
export const PUSH_MS = 1_000;

type LogType = 'stdout' | 'stderr';

export interface LogLine {
  at: number;
  /** Redis-stream style id `<ms>-<seq>`; resume after it with ?offset=. */
  offset: string;
  log_type: LogType;
  log: string;
}

export interface BuildPlan {
  startedAt: number;
  completedAt: number;
  /** null when the build succeeds, else the message after "error: ". */
  failure: string | null;
  lines: LogLine[];
}

export type BuildStatus = 'pending build' | 'building' | 'built and pushed' | `error: ${string}`;

/** The build steps: every line that is neither blank nor a comment. */
export const instructionsOf = (dockerfile: string) =>
  dockerfile
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

/** The exit code of a RUN step that fails (`exit N` with N > 0, or `false`), else 0. */
function exitCodeOf(instruction: string): number {
  if (!/^RUN\s/i.test(instruction)) return 0;
  const command = instruction.slice(4).trim();
  const exit = /(?:^|[;&|]\s*)exit\s+(\d+)\s*$/.exec(command);
  if (exit && Number(exit[1]) > 0) return Number(exit[1]);
  return /(?:^|[;&|]\s*)false\s*$/.test(command) ? 1 : 0;
}

const layerId = (imageId: string, step: number) => createHash('sha256').update(`${imageId}:${step}`).digest('hex').slice(0, 12);

/** What the image's build will do and when; computed once, at create (or when a fixture loads). */
export function buildPlan(image: Pick<StoredImage, 'image_id' | 'name' | 'tag' | 'created_at'> & { dockerfile: string }, username: string): BuildPlan {
  const startedAt = image.created_at + QUEUE_MS;
  const raw: Omit<LogLine, 'offset'>[] = [];
  const steps = instructionsOf(image.dockerfile);
  let failure: string | null = null;
  let completedAt = startedAt;
  if (steps.length === 0) {
    raw.push({ at: startedAt, log_type: 'stderr', log: 'the Dockerfile has no instructions' });
    failure = 'the Dockerfile has no instructions';
  }
  for (const [index, instruction] of steps.entries()) {
    const step = index + 1;
    const at = startedAt + index * STEP_MS;
    raw.push({ at, log_type: 'stdout', log: `Step ${step}/${steps.length} : ${instruction}` });
    const code = exitCodeOf(instruction);
    if (code > 0) {
      raw.push({ at: at + STEP_MS / 2, log_type: 'stderr', log: `The command '/bin/sh -c ${instruction.slice(4).trim()}' returned a non-zero code: ${code}` });
      failure = `build step ${step}/${steps.length} returned a non-zero code: ${code}`;
      completedAt = at + STEP_MS;
      break;
    }
    raw.push({ at: at + STEP_MS / 2, log_type: 'stdout', log: ` ---> ${layerId(image.image_id, step)}` });
  }
  const reference = `${username.toLowerCase()}/${image.name}:${image.tag}`;
  if (failure === null) {
    const pushAt = startedAt + steps.length * STEP_MS;
    completedAt = pushAt + PUSH_MS;
    raw.push({ at: pushAt, log_type: 'stdout', log: `Pushing image ${reference}` });
    raw.push({ at: completedAt, log_type: 'stdout', log: `Successfully built and pushed ${reference}` });
  } else if (steps.length === 0) {
    completedAt = startedAt;
  }
  const seen = new Map<number, number>();
  const lines = raw.map((line) => {
    const seq = seen.get(line.at) ?? 0;
    seen.set(line.at, seq + 1);
    return { ...line, offset: `${line.at}-${seq}` };
  });
  return { startedAt, completedAt, failure, lines };
}

export function buildStatus(plan: BuildPlan, now: number): BuildStatus {
  if (now < plan.startedAt) return 'pending build';
  if (now < plan.completedAt) return 'building';
  return plan.failure === null ? 'built and pushed' : `error: ${plan.failure}`;
}

export const buildFinished = (plan: BuildPlan, now: number) => now >= plan.completedAt;

/** `<ms>-<seq>` as a pair, or undefined when malformed. */
export function parseOffset(offset: string): [number, number] | undefined {
  const m = /^(\d{1,15})-(\d{1,9})$/.exec(offset);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The lines written by `now`, after `offset` when one is given (the client passes the last offset it saw). */
export function visibleLines(plan: BuildPlan, now: number, offset?: [number, number]): LogLine[] {
  return plan.lines.filter((line) => {
    if (line.at > now) return false;
    if (!offset) return true;
    const [ms, seq] = parseOffset(line.offset)!;
    return ms > offset[0] || (ms === offset[0] && seq > offset[1]);
  });
}
