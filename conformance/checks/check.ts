import type { CheckName, CheckOutcome, ReceivedResponse, TestCase } from '../model.ts';
import type { SchemaValidator } from '../schema.ts';

export interface CheckContext {
  testCase: TestCase;
  response: ReceivedResponse;
  validator: SchemaValidator;
  options: { maxResponseTimeMs?: number };
}

/** A named, independent judgement on one response. */
export interface Check {
  name: CheckName;
  run(ctx: CheckContext): CheckOutcome;
}

export const passed: CheckOutcome = { status: 'passed' };

export function skipped(message: string): CheckOutcome {
  return { status: 'skipped', message };
}

/** The one failure format every check uses: "expected X, got Y[ at /pointer]". */
export function failed(expected: string, got: string, pointer?: string): CheckOutcome {
  return {
    status: 'failed',
    message: `expected ${expected}, got ${got}${pointer ? ` at ${pointer}` : ''}`,
    expected,
    got,
    pointer,
  };
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** A check that needs the body cannot judge one cut at the byte cap: it fails saying so. */
export function bodyCut(response: ReceivedResponse): CheckOutcome | undefined {
  return response.bodyCutAt === undefined ? undefined : failed('the whole body', cutNote(response.bodyCutAt));
}

export function cutNote(bytes: number): string {
  return `a body cut at ${bytes} bytes (the --max-response-bytes cap)`;
}
