// The build on the injected clock (pending -> building -> built and pushed, or error), and its log:
// text/plain once over, server-sent events while running, resumable from an offset.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formData } from '../../../generated/chutes/client.ts';
import { buildStatus, buildPlan, PUSH_MS, QUEUE_MS, STEP_MS } from '../domain/build.ts';
import { IDS, KEYS, startChutes, validCreate, type ChutesTestServer } from './helpers.ts';

let s: ChutesTestServer;
beforeAll(async () => {
  s = await startChutes();
});
afterAll(() => s.close());
beforeEach(async () => {
  await s.raw('/__control/chutes/reset', { method: 'POST' });
});

describe('the build plan (domain)', () => {
  const image = { image_id: 'i', name: 'n', tag: 't', created_at: 0, dockerfile: 'FROM x\n# a comment\n\nRUN make\nUSER app' };
  const t = buildPlan(image, 'Alice');
  it.each<[number, string]>([
    [0, 'pending build'],
    [QUEUE_MS - 1, 'pending build'],
    [QUEUE_MS, 'building'],
    [QUEUE_MS + 3 * STEP_MS + PUSH_MS - 1, 'building'],
    [QUEUE_MS + 3 * STEP_MS + PUSH_MS, 'built and pushed'],
  ])('at +%i ms the image is %s', (at, status) => {
    expect(buildStatus(t, at)).toBe(status);
  });

  it('writes a line per step, skipping comments and blank lines, then pushes under the lowercased username', () => {
    expect(t.lines.map((l) => l.log).filter((l) => !l.startsWith(' --->'))).toEqual(['Step 1/3 : FROM x', 'Step 2/3 : RUN make', 'Step 3/3 : USER app', 'Pushing image alice/n:t', 'Successfully built and pushed alice/n:t']);
  });

  it.each<[string, string]>([
    ['RUN false', 'build step 2/3 returned a non-zero code: 1'],
    ['RUN make || exit 7', 'build step 2/3 returned a non-zero code: 7'],
  ])('fails at a step whose command exits non-zero (%s)', (run, failure) => {
    const failed = buildPlan({ ...image, dockerfile: `FROM x\n${run}\nRUN never` }, 'alice');
    expect(buildStatus(failed, failed.completedAt)).toBe(`error: ${failure}`);
    expect(failed.lines.at(-1)).toMatchObject({ log_type: 'stderr' });
    expect(failed.lines.some((l) => l.log.includes('never'))).toBe(false);
  });

  it('does not fail on a command that merely mentions exit', () => {
    const fine = buildPlan({ ...image, dockerfile: 'FROM x\nRUN echo "exit 1 is an error" > /notes' }, 'alice');
    expect(fine.failure).toBeNull();
  });
});

const get = async (ref: string) => (await s.alice.GET('/images/{image_id_or_name}', { params: { path: { image_id_or_name: ref } } })).data;

describe('the build over HTTP, on the fake clock', () => {
  it('moves a new image from pending build to building to built and pushed', async () => {
    await s.alice.POST('/images/', { body: validCreate({ dockerfile: 'FROM x\nRUN a\nRUN b' }), bodySerializer: formData });
    const seen: [string | undefined, string | null | undefined, string | null | undefined][] = [];
    for (const step of [0, QUEUE_MS, STEP_MS * 3, PUSH_MS]) {
      s.clock.advance(step);
      const image = await get('whisper-large:v3');
      seen.push([image?.status, image?.build_started_at, image?.build_completed_at]);
    }
    expect(seen).toEqual([
      ['pending build', null, null],
      ['building', '2026-11-20T10:00:02.000Z', null],
      ['building', '2026-11-20T10:00:02.000Z', null],
      ['built and pushed', '2026-11-20T10:00:02.000Z', '2026-11-20T10:00:06.000Z'],
    ]);
  });

  it('moves an image whose Dockerfile fails to an error status', async () => {
    await s.alice.POST('/images/', { body: validCreate({ dockerfile: 'FROM x\nRUN false' }), bodySerializer: formData });
    s.clock.advance(QUEUE_MS);
    expect((await get('whisper-large:v3'))?.status).toBe('building');
    s.clock.advance(2 * STEP_MS);
    expect((await get('whisper-large:v3'))?.status).toBe('error: build step 2/2 returned a non-zero code: 1');
  });
});

/** Reads an event stream until `until` holds for what arrived, or it ends. */
async function readUntil(response: Response, until: (text: string) => boolean, onChunk?: (text: string) => void): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
    onChunk?.(text);
    if (until(text)) {
      await reader.cancel();
      return text;
    }
  }
}

const events = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as { log: { log_type: string; log: string }; offset: string });

describe('streamBuildLogs', () => {
  it('answers a finished build with its whole log as text/plain', async () => {
    const response = await s.raw(`/images/${IDS.tinyllama}/logs`, { headers: { Authorization: KEYS.alice } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="${IDS.tinyllama}.log"`);
    const lines = (await response.text()).split('\n');
    expect(lines[0]).toBe('Step 1/4 : FROM alice/base-python:3.12.7');
    expect(lines.at(-2)).toBe('Successfully built and pushed alice/tinyllama:1.0.0');
  });

  it('streams a running build: the events so far, heartbeats while idle, new events as the clock moves, then DONE', async () => {
    const response = await s.raw(`/images/${IDS.vllm}/logs`, { headers: { Authorization: KEYS.alice } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    let advanced = false;
    const text = await readUntil(
      response,
      (t) => t.endsWith('DONE\n'),
      (t) => {
        // once the first heartbeat shows the stream has caught up, let the build run to its end
        if (!advanced && t.includes('\n.\n')) {
          advanced = true;
          s.clock.advance(10_000);
        }
      },
    );
    const got = events(text);
    const beforeHeartbeat = events(text.slice(0, text.indexOf('\n.\n')));
    expect(beforeHeartbeat.map((e) => e.log.log)).toEqual(['Step 1/10 : FROM alice/base-python:3.12.7', expect.stringMatching(/^ ---> /), 'Step 2/10 : RUN apt-get update', expect.stringMatching(/^ ---> /), 'Step 3/10 : RUN apt-get install -y git build-essential', expect.stringMatching(/^ ---> /), 'Step 4/10 : RUN pip install torch==2.5.1']);
    expect(got.at(-1)?.log).toEqual({ log_type: 'stdout', log: 'Successfully built and pushed alice/vllm:0.6.3' });
    expect(got.map((e) => e.offset)).toEqual([...got.map((e) => e.offset)].sort());
    expect(text).toMatch(/\n\nDONE\n$/);
    expect(new Set(got.map((e) => e.offset)).size).toBe(got.length); // nothing sent twice
  });

  it('resumes after an offset: the first event is the one after it', async () => {
    const all = s.store.images().find((i) => i.image_id === IDS.vllm)!.build.lines;
    const response = await s.raw(`/images/${IDS.vllm}/logs?offset=${all[2]!.offset}`, { headers: { Authorization: KEYS.alice } });
    const text = await readUntil(response, (t) => t.includes('\n.\n'));
    expect(events(text).map((e) => e.offset)).toEqual([all[3]!.offset, all[4]!.offset, all[5]!.offset, all[6]!.offset]);
  });

  it('resumes with nothing new: only heartbeats until the clock moves', async () => {
    const all = s.store.images().find((i) => i.image_id === IDS.vllm)!.build.lines;
    const response = await s.raw(`/images/${IDS.vllm}/logs?offset=${all[6]!.offset}`, { headers: { Authorization: KEYS.alice } });
    const text = await readUntil(response, (t) => t.startsWith('.\n.\n'));
    expect(events(text)).toEqual([]);
  });

  it('streams a pending build (heartbeats first) and answers text once it is over', async () => {
    const { data } = await s.alice.POST('/images/', { body: validCreate({ dockerfile: 'FROM x' }), bodySerializer: formData });
    const pending = await s.raw(`/images/${data!.image_id}/logs`, { headers: { Authorization: KEYS.alice } });
    expect(pending.headers.get('content-type')).toContain('text/event-stream');
    expect(await readUntil(pending, (t) => t.length >= 2)).toMatch(/^\.\n/);
    s.clock.advance(QUEUE_MS + STEP_MS + PUSH_MS);
    const done = await s.raw(`/images/${data!.image_id}/logs`, { headers: { Authorization: KEYS.alice } });
    expect(done.headers.get('content-type')).toContain('text/plain');
  });

  it.each<[string, string, Record<string, string>, number]>([
    ['a public image without credentials', IDS.basePython, {}, 200],
    ['a public image with a key that names no one (counted as none)', IDS.basePython, { Authorization: 'cpk_00000000000000000000000000000000.00000000000000000000000000000000.000000000000000000000000000000aa' }, 200],
    ['a private image without credentials', IDS.tinyllama, {}, 404],
    ["another user's private image", IDS.whisper, { Authorization: KEYS.alice }, 404],
    ['its owner', IDS.whisper, { Authorization: KEYS.bob }, 200],
    ['an image name instead of an id', 'tinyllama:1.0.0', { Authorization: KEYS.alice }, 404],
    ['an unknown id', '00000000-0000-5000-8000-000000000000', { Authorization: KEYS.alice }, 404],
  ])('for %s answers %i', async (_what, id, headers, status) => {
    const response = await s.raw(`/images/${id}/logs`, { headers });
    expect(response.status).toBe(status);
    if (status === 404) expect(await response.json()).toEqual({ detail: 'Image not found, or does not belong to you' });
    else await response.text();
  });

  it('answers 422 for an offset that is not <ms>-<seq>', async () => {
    const response = await s.raw(`/images/${IDS.vllm}/logs?offset=yesterday`, { headers: { Authorization: KEYS.alice } });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ detail: [{ type: 'string_pattern_mismatch', loc: ['query', 'offset'], msg: "String should match pattern '^[0-9]+-[0-9]+$'", input: 'yesterday', ctx: { pattern: '^[0-9]+-[0-9]+$' } }] });
  });
});
