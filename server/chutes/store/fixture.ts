// The fixture format (store/fixtures/demo.json): users, images, chutes, the recent creates/deletes the
// rate limit counts, and the moment the fixture describes. Image ids are derived (uuid5), never written.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildPlan } from '../domain/build.ts';
import { imageIdFor } from '../domain/images.ts';
import type { ChutesUser, ImageAction, StoredImage } from '../domain/model.ts';

export interface Fixture {
  clock: string;
  users: { user_id: string; username: string; created_at: string; logo_id: string | null; hotkey: string; api_keys: string[]; balance: string }[];
  images: { username: string; name: string; tag: string; readme: string; logo_id: string | null; public: boolean; created_at: string; chutes_version: string; patch_version: string | null; dockerfile: string[] }[];
  chutes: { chute_id: string; image: string }[];
  /** `count` actions of `kind` by `username`, the first at `first_at`, then one every `every_minutes`. */
  action_bursts: { username: string; kind: 'create' | 'delete'; count: number; first_at: string; every_minutes: number }[];
}

const demoPath = fileURLToPath(new URL('./fixtures/demo.json', import.meta.url));

export const loadDemoFixture = (): Fixture => JSON.parse(readFileSync(demoPath, 'utf8')) as Fixture;

function time(value: string, where: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${where}: ${JSON.stringify(value)} is not a date-time`);
  return ms;
}

/** What a fixture describes, as the store keeps it. */
export interface FixtureState {
  users: ChutesUser[];
  images: StoredImage[];
  /** The deployed chutes: an image one uses cannot be deleted. */
  chutes: { chute_id: string; image_id: string }[];
  actions: ImageAction[];
}

/** The state a fixture describes; throws, naming the part, when the fixture is inconsistent. */
export function stateOfFixture(fixture: Fixture): FixtureState {
  const users: ChutesUser[] = fixture.users.map((u, i) => {
    if (!/^\d+(\.\d{1,2})?$/.test(u.balance)) throw new Error(`users[${i}].balance must be a decimal amount`);
    return { user_id: u.user_id, username: u.username, created_at: time(u.created_at, `users[${i}].created_at`), logo_id: u.logo_id, hotkey: u.hotkey, api_keys: u.api_keys, balance_cents: Math.round(Number(u.balance) * 100) };
  });
  const byName = (username: string, where: string) => {
    const user = users.find((u) => u.username === username);
    if (!user) throw new Error(`${where}: no user ${username}`);
    return user;
  };
  const images: StoredImage[] = fixture.images.map((img, i) => {
    const image_id = imageIdFor(img.username, img.name, img.tag);
    const created_at = time(img.created_at, `images[${i}].created_at`);
    const owner = byName(img.username, `images[${i}]`);
    return {
      image_id,
      user_id: owner.user_id,
      name: img.name,
      tag: img.tag,
      readme: img.readme,
      logo_id: img.logo_id,
      public: img.public,
      created_at,
      chutes_version: img.chutes_version,
      patch_version: img.patch_version,
      build: buildPlan({ image_id, name: img.name, tag: img.tag, created_at, dockerfile: img.dockerfile.join('\n') }, owner.username),
    };
  });
  const chutes = fixture.chutes.map((c, i) => {
    const [username = '', rest = ''] = c.image.split('/');
    const colon = rest.lastIndexOf(':');
    const image_id = imageIdFor(username, rest.slice(0, colon), rest.slice(colon + 1));
    if (!images.some((img) => img.image_id === image_id)) throw new Error(`chutes[${i}]: no image ${c.image}`);
    return { chute_id: c.chute_id, image_id };
  });
  const actions = fixture.action_bursts.flatMap((b, i) => {
    const user = byName(b.username, `action_bursts[${i}]`);
    const first = time(b.first_at, `action_bursts[${i}].first_at`);
    return Array.from({ length: b.count }, (_, n) => ({ user_id: user.user_id, kind: b.kind, at: first + n * b.every_minutes * 60_000 }));
  });
  return { users, images, chutes, actions };
}
