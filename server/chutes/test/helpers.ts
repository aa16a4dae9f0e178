// Starts the Chutes reference server on port 0 for a test, on a manual clock at the fixture's moment.
import { createClient, formData, type components } from '../../../generated/chutes/client.ts';
import { manualClock, type ManualClock } from '../../shared/clock.ts';
import { onFixture } from '../../shared/contract.ts';
import { startContract, type StartedContract } from '../../../test/helpers/start-contract.ts';
import { createChutesApp, type ChutesAppOptions } from '../app.ts';
import { errorShape } from '../http/errors.ts';
import { loadDemoFixture, type Fixture } from '../store/fixture.ts';
import { MemoryStore } from '../store/memory-store.ts';

export const KEYS = {
  alice: 'cpk_a11ce5d3c2b14e0f9a8b7c6d5e4f3a21.3f1b2c4d5e6f4a7b8c9d0e1f2a3b4c5d.AliceDemoKey00000000000000000000',
  bob: 'cpk_b0b5d3c2b14e0f9a8b7c6d5e4f3a2100.7a8b9c0d1e2f4a3b9c4d5e6f7a8b9c0d.BobDemoKey0000000000000000000000',
  carol: 'cpk_ca701d3c2b14e0f9a8b7c6d5e4f3a210.c1d2e3f4a5b64c7d8e9f0a1b2c3d4e5f.CarolDemoKey00000000000000000000',
};
export const ALICE_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

/** The demo fixture's images by reference. */
export const IDS = {
  basePython: '7f68e2ba-1409-589a-bee7-285d32f2d5c0',
  tinyllama: 'f7cbd348-6b3e-5302-ac09-f49cd37e3f1d',
  vllm: '69909454-4d85-5614-9036-7d67c4f30d5f',
  brokenBuild: '64161e80-6585-5f78-a14c-145e805e0c3d',
  whisper: 'd64c8ec0-8d20-5cf7-a72e-58017e6b90f7',
  comfyui: '96ec5813-c212-5d5c-8ecd-deee2ae87809',
  sdxl: '921cc855-1acd-5956-8834-92cbeaa21ef6',
};

export interface ChutesTestServer extends StartedContract {
  clock: ManualClock;
  store: MemoryStore;
  fixture: Fixture;
  alice: ReturnType<typeof createClient>;
  bob: ReturnType<typeof createClient>;
  carol: ReturnType<typeof createClient>;
  anonymous: ReturnType<typeof createClient>;
}

export async function startChutes(options: { fixture?: Fixture } & Partial<Pick<ChutesAppOptions, 'limits' | 'jwtSecret' | 'heartbeatMs' | 'specPath' | 'logger'>> = {}): Promise<ChutesTestServer> {
  const fixture = options.fixture ?? loadDemoFixture();
  const clock = manualClock(fixture.clock);
  const store = new MemoryStore(fixture);
  const started = await startContract({
    name: 'chutes',
    errorShape,
    mount: () => onFixture(createChutesApp({ store, clock, control: { fixture }, heartbeatMs: options.heartbeatMs ?? 5, limits: options.limits, jwtSecret: options.jwtSecret, specPath: options.specPath, logger: options.logger }), store, clock, fixture),
  });
  const { baseUrl } = started;
  return {
    ...started,
    clock,
    store,
    fixture,
    alice: createClient({ baseUrl, token: KEYS.alice }),
    bob: createClient({ baseUrl, token: KEYS.bob }),
    carol: createClient({ baseUrl, token: KEYS.carol }),
    anonymous: createClient({ baseUrl }),
  };
}

/** The smallest zip archive: no entries, only the end-of-central-directory record. */
export const EMPTY_ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

/** A zip archive holding one stored (uncompressed) file. */
export function zipOf(name: string, content: Buffer): Buffer {
  const file = Buffer.from(name);
  const crc = crcOf(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(file.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(file.length, 28);
  const centralAt = local.length + file.length + content.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + file.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return Buffer.concat([local, file, content, central, file, end]);
}

function crcOf(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export type CreateForm = components['schemas']['CreateImageForm'];

/** A valid create form as the typed client sends it, with a small real zip. */
export const validCreate = (overrides: Partial<CreateForm> = {}): CreateForm => ({
  wait: false,
  build_context: new Blob([new Uint8Array(zipOf('app.py', Buffer.from('print("hi")\n')))], { type: 'application/zip' }),
  username: 'alice',
  name: 'whisper-large',
  readme: '## whisper-large',
  logo_id: '__none__',
  tag: 'v3',
  dockerfile: 'FROM alice/base-python:3.12.7\nRUN pip install openai-whisper',
  image: 'gASVAAAAAAAAAAA=',
  public: false,
  ...overrides,
});

/** A form that may break the contract (a field missing, a wrong type), for raw requests. */
export const rawForm = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ ...validCreate(), ...overrides });

/** A create request as raw fetch init, for forms the typed client will not send (a field missing, a wrong type). */
export function rawCreate(fields: Record<string, unknown>, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', body: formData(fields), headers };
}
