// A huge Dockerfile must not make later reads slow (issue 15, finding 2): the build plan is computed
// once at create, and the contract bounds the instructions. Costs are compared in the same run, never
// held to a time limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formData } from '../../../generated/chutes/client.ts';
import { MAX_DOCKERFILE_INSTRUCTIONS } from '../domain/form.ts';
import { costRatio } from './cost.ts';
import { EMPTY_ZIP, KEYS, startChutes, validCreate, type ChutesTestServer } from './helpers.ts';

const BOUNDARY = 'attacker-boundary';
const FIELDS = { wait: 'false', username: 'alice', name: 'attack', readme: '', logo_id: '__none__', tag: 'v1', image: 'x', public: 'false' };

/** A multipart body written by hand, as an attacker sends it: its text keeps bare LF line ends (FormData would make each a CRLF). */
function rawMultipart(fields: Record<string, string>): Buffer {
  const parts = Object.entries(fields).map(([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const zip = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="build_context"; filename="context.zip"\r\nContent-Type: application/zip\r\n\r\n`;
  return Buffer.concat([Buffer.from(parts.join('') + zip), Buffer.from(EMPTY_ZIP), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

const dockerfileOf = (runs: number) => ['FROM alice/base-python:3.12.7', ...Array.from({ length: runs }, () => 'RUN x')].join('\n');

describe('the instruction limit, as the contract documents it', () => {
  let s: ChutesTestServer;
  beforeAll(async () => {
    s = await startChutes();
  });
  afterAll(() => s.close());

  it("refuses the attack as sent: a paying user's 1 MiB Dockerfile of 174,000 RUN lines is a 422, and nothing is stored", async () => {
    const dockerfile = dockerfileOf(174_000);
    expect(dockerfile.length).toBeLessThanOrEqual(1024 * 1024); // within the text part limit: only the instruction limit refuses it
    const before = s.store.images().length;
    const response = await s.raw('/images/', { method: 'POST', headers: { Authorization: KEYS.alice, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` }, body: new Uint8Array(rawMultipart({ ...FIELDS, dockerfile })) });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ detail: [{ type: 'value_error', loc: ['body', 'dockerfile'], msg: `Value error, dockerfile has 174001 instructions, more than ${MAX_DOCKERFILE_INSTRUCTIONS}`, input: 174_001 }] });
    expect(s.store.images()).toHaveLength(before);
  });

  it.each<[string, number, number]>([
    ['at the limit', MAX_DOCKERFILE_INSTRUCTIONS - 1, 202],
    ['one over the limit', MAX_DOCKERFILE_INSTRUCTIONS, 422],
  ])('a Dockerfile %s (FROM and %i RUN lines) answers %i', async (what, runs, status) => {
    const { response } = await s.alice.POST('/images/', { body: validCreate({ tag: what.replaceAll(' ', '-'), dockerfile: dockerfileOf(runs) }), bodySerializer: formData });
    expect(response.status).toBe(status);
  });
});

describe('a read costs the same whatever the Dockerfile (the plan is made once, at create)', () => {
  const HUGE = 50_000; // above the contract's limit, raised here so that planning per read would be plain to see
  let s: ChutesTestServer;
  beforeAll(async () => {
    s = await startChutes({ limits: { dockerfileInstructions: HUGE } });
    for (const [name, runs] of [['small', 2], ['huge', HUGE - 1]] as const) {
      const { response } = await s.alice.POST('/images/', { body: validCreate({ name, dockerfile: dockerfileOf(runs) }), bodySerializer: formData });
      expect(response.status).toBe(202);
    }
  });
  afterAll(() => s.close());

  const read = (path: string) => () => s.raw(path, { headers: { Authorization: KEYS.alice } }).then((r) => r.json());

  it.each<[string, string, string]>([
    ['getImage', '/images/huge:v3', '/images/small:v3'],
    ['listImages', '/images/?name=huge', '/images/?name=small'],
  ])('%s of the huge image costs about what it costs for the small one', async (_operation, huge, small) => {
    const ratio = await costRatio(read(huge), read(small));
    // planning per read made a get of 50,000 instructions cost over 100 times a small one's
    expect(ratio).toBeLessThan(5);
  });
});
