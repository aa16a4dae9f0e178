// The fixture format (server/images/store/fixtures/demo.json): the demo catalog, users and containers, and
// the moment the fixture describes. The control API loads the same format.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface FixtureImage {
  id: string;
  alias: string;
  description: string;
  image_name: string;
  architecture: string;
  os: string;
  release: string;
  variant: string;
  serial: string;
  size: number;
  price: number;
  added_date: string;
  has_icon: boolean;
  prespawn: boolean;
  tags: string[];
  base_rating_sum_tenths: number;
  base_rating_count: number;
}

export interface FixtureUser {
  id: string;
  name: string;
  token: string;
  balance: string;
  images: { image_id: string; acquired_at: string; via: 'import' | 'purchase' }[];
  ratings: Record<string, number>;
}

export interface FixtureSnapshot {
  name: string;
  alias: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  size: number;
}

export interface FixtureContainer {
  id: string;
  project_id: string;
  owner_id: string;
  restored_from?: string | null;
  restored_at?: string | null;
  disk_bytes: number;
  max_snapshots: number | null;
  snapshots: FixtureSnapshot[];
}

export interface Fixture {
  clock: string;
  images: FixtureImage[];
  users: FixtureUser[];
  containers: FixtureContainer[];
}

const demoPath = fileURLToPath(new URL('./fixtures/demo.json', import.meta.url));

/** The demo fixture, read fresh so that callers may keep it. */
export function loadDemoFixture(): Fixture {
  return parseFixture(JSON.parse(readFileSync(demoPath, 'utf8')));
}

const OBJECT_ID = /^[0-9a-f]{24}$/;
const SNAPSHOT_NAME = /^snap-\d{8}-\d{6}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isTimeOrNull = (v: unknown) => v === null || v === undefined || isTime(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Checks a fixture from outside (the control API) and returns it typed, or throws a RangeError saying
 * which part is wrong. Only what the store relies on is checked.
 */
export function parseFixture(input: unknown): Fixture {
  const fail = (where: string, why: string): never => {
    throw new RangeError(`${where} ${why}`);
  };
  if (!isObject(input)) return fail('fixture', 'must be an object');
  if (!isTime(input.clock)) fail('clock', 'must be a date-time');
  for (const key of ['images', 'users', 'containers'] as const) {
    if (!Array.isArray(input[key])) fail(key, 'must be an array');
  }
  const imageIds = new Set<string>();
  (input.images as unknown[]).forEach((image, i) => {
    const at = `images[${i}]`;
    if (!isObject(image)) return fail(at, 'must be an object');
    if (!isString(image.id) || imageIds.has(image.id)) fail(`${at}.id`, 'must be a unique string');
    imageIds.add(image.id as string);
    for (const key of ['alias', 'description', 'image_name', 'architecture', 'os', 'release', 'variant', 'serial']) {
      if (!isString(image[key])) fail(`${at}.${key}`, 'must be a string');
    }
    if (!isCount(image.size)) fail(`${at}.size`, 'must be a non-negative integer');
    if (typeof image.price !== 'number' || !(image.price >= 0) || Math.round(image.price * 100) / 100 !== image.price) {
      fail(`${at}.price`, 'must be a non-negative amount with at most two decimals');
    }
    if (!isTime(image.added_date)) fail(`${at}.added_date`, 'must be a date-time');
    if (typeof image.has_icon !== 'boolean' || typeof image.prespawn !== 'boolean') fail(at, 'has_icon and prespawn must be booleans');
    if (!Array.isArray(image.tags) || !image.tags.every(isString)) fail(`${at}.tags`, 'must be an array of strings');
    if (!isCount(image.base_rating_sum_tenths) || !isCount(image.base_rating_count)) fail(at, 'base ratings must be non-negative integers');
    if ((image.base_rating_sum_tenths as number) > 50 * (image.base_rating_count as number)) fail(at, 'base ratings average above 5');
  });
  const userIds = new Set<string>();
  const tokens = new Set<string>();
  (input.users as unknown[]).forEach((user, i) => {
    const at = `users[${i}]`;
    if (!isObject(user)) return fail(at, 'must be an object');
    if (!isString(user.id) || userIds.has(user.id)) fail(`${at}.id`, 'must be a unique string');
    if (!isString(user.token) || user.token === '' || tokens.has(user.token)) fail(`${at}.token`, 'must be a unique non-empty string');
    userIds.add(user.id as string);
    tokens.add(user.token as string);
    if (!isString(user.name)) fail(`${at}.name`, 'must be a string');
    if (!isString(user.balance) || !/^\d+(\.\d{1,2})?$/.test(user.balance)) fail(`${at}.balance`, 'must be a decimal string like "50.00"');
    if (!Array.isArray(user.images)) return fail(`${at}.images`, 'must be an array');
    const owned = new Set<string>();
    user.images.forEach((entry: unknown, j) => {
      const where = `${at}.images[${j}]`;
      if (!isObject(entry)) return fail(where, 'must be an object');
      if (!isString(entry.image_id) || !imageIds.has(entry.image_id) || owned.has(entry.image_id)) fail(`${where}.image_id`, 'must name a catalog image once');
      owned.add(entry.image_id as string);
      if (!isTime(entry.acquired_at)) fail(`${where}.acquired_at`, 'must be a date-time');
      if (entry.via !== 'import' && entry.via !== 'purchase') fail(`${where}.via`, 'must be import or purchase');
    });
    if (!isObject(user.ratings)) return fail(`${at}.ratings`, 'must be an object');
    for (const [imageId, rating] of Object.entries(user.ratings)) {
      if (!imageIds.has(imageId)) fail(`${at}.ratings`, `names an unknown image ${imageId}`);
      if (typeof rating !== 'number' || !(rating >= 0 && rating <= 5)) fail(`${at}.ratings.${imageId}`, 'must be 0..5');
    }
  });
  const containerIds = new Set<string>();
  (input.containers as unknown[]).forEach((container, i) => {
    const at = `containers[${i}]`;
    if (!isObject(container)) return fail(at, 'must be an object');
    if (!isString(container.id) || !OBJECT_ID.test(container.id) || containerIds.has(container.id)) fail(`${at}.id`, 'must be a unique 24-hex id');
    containerIds.add(container.id as string);
    if (!isString(container.project_id) || !OBJECT_ID.test(container.project_id)) fail(`${at}.project_id`, 'must be a 24-hex id');
    if (!isString(container.owner_id) || !userIds.has(container.owner_id)) fail(`${at}.owner_id`, 'must name a user');
    if (!isCount(container.disk_bytes)) fail(`${at}.disk_bytes`, 'must be a non-negative integer');
    if (!(container.max_snapshots === null || (isCount(container.max_snapshots) && container.max_snapshots >= 1))) fail(`${at}.max_snapshots`, 'must be null or a positive integer');
    if (!Array.isArray(container.snapshots)) return fail(`${at}.snapshots`, 'must be an array');
    const names = new Set<string>();
    container.snapshots.forEach((snapshot: unknown, j) => {
      const where = `${at}.snapshots[${j}]`;
      if (!isObject(snapshot)) return fail(where, 'must be an object');
      if (!isString(snapshot.name) || !SNAPSHOT_NAME.test(snapshot.name) || names.has(snapshot.name)) fail(`${where}.name`, 'must be a unique snap-YYYYMMDD-HHmmss name');
      names.add(snapshot.name as string);
      if (!(snapshot.alias === null || (isString(snapshot.alias) && snapshot.alias.length >= 1 && snapshot.alias.length <= 100))) fail(`${where}.alias`, 'must be null or 1..100 characters');
      if (!isTime(snapshot.created_at)) fail(`${where}.created_at`, 'must be a date-time');
      if (!isTimeOrNull(snapshot.last_used_at) || !isTimeOrNull(snapshot.expires_at)) fail(where, 'last_used_at and expires_at must be date-times or null');
      if (!isCount(snapshot.size)) fail(`${where}.size`, 'must be a non-negative integer');
    });
  });
  return input as unknown as Fixture;
}
