// The image rules: who sees what, lookup by id or [username/]name:tag, listing, create and delete.
// Pure functions over the narrow state they read (the store is one); the store applies what they decide.
import { v5 as uuidv5 } from 'uuid';
import { buildPlan, buildStatus } from './build.ts';
import type { components } from '../../../generated/chutes/schema.d.ts';
import { DomainError, notFound } from './errors.ts';
import type { ChutesUser, ImageAction, StoredImage } from './model.ts';

/** uuid.NAMESPACE_OID, as Python names it. */
const NAMESPACE_OID = '6ba7b812-9dad-11d1-80b4-00c04fd430c8';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const RATE_LIMIT = { actions: 24, windowMs: 24 * 60 * 60 * 1000 };
const MIN_BALANCE_CENTS = 5_000;
const LOGO_BASE_URL = 'https://logos.chutes.ai/logo/';

export const imageIdFor = (username: string, name: string, tag: string) => uuidv5(`${username.toLowerCase()}/${name}:${tag}`, NAMESPACE_OID);

/** What the image rules read. */
export interface ImagesState {
  /** Every image, in no particular order. */
  images(): readonly StoredImage[];
  /** The user of that username, compared case-insensitively. */
  userByName(username: string): ChutesUser | undefined;
  /** Whether a chute uses the image (then it cannot be deleted). */
  inUse(imageId: string): boolean;
  /** The user's creates and deletes, counted by the rate limit. */
  actionsOf(userId: string): readonly ImageAction[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The contract's ImageResponse. */
export type ImageView = components['schemas']['ImageResponse'];

const logoUrl = (logoId: string | null) => (logoId === null ? null : `${LOGO_BASE_URL}${logoId}.webp`);

/** The ImageResponse of the contract, as the image stands at `now`. */
export function imageView(image: StoredImage, owner: ChutesUser, now: number): ImageView {
  const plan = image.build;
  return {
    image_id: image.image_id,
    name: image.name,
    readme: image.readme,
    tag: image.tag,
    public: image.public,
    status: buildStatus(plan, now),
    created_at: iso(image.created_at),
    build_started_at: now >= plan.startedAt ? iso(plan.startedAt) : null,
    build_completed_at: now >= plan.completedAt ? iso(plan.completedAt) : null,
    user: { username: owner.username, user_id: owner.user_id, logo_id: owner.logo_id, created_at: iso(owner.created_at), logo: logoUrl(owner.logo_id) },
    logo_id: image.logo_id,
    patch_version: image.patch_version,
    logo: logoUrl(image.logo_id),
  };
}

/** The contract's CreatedImage: the row as created, its build queued. */
export type CreatedView = components['schemas']['CreatedImage'];

export function createdView(image: StoredImage): CreatedView {
  const { build: _build, created_at, ...row } = image;
  return { ...row, status: 'pending build', created_at: iso(created_at), build_started_at: null, build_completed_at: null };
}

const visibleTo = (image: StoredImage, caller: ChutesUser | undefined) => image.public || image.user_id === caller?.user_id;

/**
 * The image a reference names, if the caller may see it: a uuid, or `[username/]name:tag` with the
 * username defaulting to the caller's. Anything else names no image.
 */
function findImage(state: ImagesState, ref: string, caller: ChutesUser | undefined): StoredImage | undefined {
  let image: StoredImage | undefined;
  if (UUID.test(ref)) {
    image = state.images().find((i) => i.image_id === ref.toLowerCase());
  } else {
    const colon = ref.lastIndexOf(':');
    if (colon < 1) return undefined;
    const [left, tag] = [ref.slice(0, colon), ref.slice(colon + 1)];
    const slash = left.indexOf('/');
    const username = slash >= 0 ? left.slice(0, slash) : caller?.username;
    const name = slash >= 0 ? left.slice(slash + 1) : left;
    const owner = username === undefined ? undefined : state.userByName(username);
    image = owner && state.images().find((i) => i.user_id === owner.user_id && i.name === name && i.tag === tag);
  }
  return image && visibleTo(image, caller) ? image : undefined;
}

/** getImage: the image a reference names, or 404 when there is none the caller may see. */
export const getImage = (state: ImagesState, ref: string, caller: ChutesUser | undefined): StoredImage | DomainError => findImage(state, ref, caller) ?? notFound();

/** streamBuildLogs: the logs take an image id only, so a name (or anything else) is a 404 as an unknown id is. */
export const getImageById = (state: ImagesState, id: string, caller: ChutesUser | undefined): StoredImage | DomainError =>
  (UUID.test(id) && findImage(state, id, caller)) || notFound();

export interface ListQuery {
  include_public: boolean;
  name?: string;
  tag?: string;
  page: number;
  limit: number;
}

const contains = (value: string, part: string | undefined) => part === undefined || part.trim() === '' || value.toLowerCase().includes(part.toLowerCase());

/** Own images (and public ones with include_public), filtered by name/tag substring, newest first. */
export function listImages(state: ImagesState, caller: ChutesUser, query: ListQuery): { total: number; items: StoredImage[] } {
  const matching = state
    .images()
    .filter((i) => i.user_id === caller.user_id || (query.include_public && i.public))
    .filter((i) => contains(i.name, query.name) && contains(i.tag, query.tag))
    .sort((a, b) => b.created_at - a.created_at || a.image_id.localeCompare(b.image_id));
  return { total: matching.length, items: matching.slice(query.page * query.limit, (query.page + 1) * query.limit) };
}

/** The create form's fields that the rules and the row use. */
export type CreateInput = Pick<components['schemas']['CreateImageForm'], 'username' | 'name' | 'tag' | 'readme' | 'logo_id' | 'public' | 'dockerfile'>;

export interface CreateConfig {
  chutesVersion: string;
}

/** The create rules in the service's order: caller is the username, rate limit, balance, duplicate. */
export function createImage(state: ImagesState, caller: ChutesUser, input: CreateInput, now: number, config: CreateConfig): { image: StoredImage; action: ImageAction } | DomainError {
  if (input.username !== caller.username) return new DomainError('not_yours', 'Cannot make images for users other than yourself!');
  const recent = state.actionsOf(caller.user_id).filter((a) => a.at > now - RATE_LIMIT.windowMs && a.at <= now);
  if (recent.length >= RATE_LIMIT.actions) return new DomainError('rate_limited', `You may create or delete at most ${RATE_LIMIT.actions} images in 24 hours`);
  if (caller.balance_cents < MIN_BALANCE_CENTS) return new DomainError('insufficient_balance', `You must have a balance of at least $${MIN_BALANCE_CENTS / 100} to create images`);
  const image_id = imageIdFor(input.username, input.name, input.tag);
  if (state.images().some((i) => i.image_id === image_id || (i.user_id === caller.user_id && i.name === input.name && i.tag === input.tag))) {
    return new DomainError('conflict', `Image with name='${input.name}' and tag='${input.tag}' aready exists`);
  }
  const image: StoredImage = {
    image_id,
    user_id: caller.user_id,
    name: input.name,
    tag: input.tag,
    readme: input.readme,
    logo_id: input.logo_id && input.logo_id !== '__none__' ? input.logo_id : null,
    public: input.public,
    created_at: now,
    chutes_version: config.chutesVersion,
    patch_version: 'initial',
    build: buildPlan({ image_id, name: input.name, tag: input.tag, created_at: now, dockerfile: input.dockerfile }, caller.username),
  };
  return { image, action: { user_id: caller.user_id, at: now, kind: 'create' } };
}

/** Only the owner deletes (others get the same 404 as for a missing image); an image in use stays. */
export function deleteImage(state: ImagesState, caller: ChutesUser, ref: string, now: number): { image: StoredImage; action: ImageAction } | DomainError {
  const image = findImage(state, ref, caller);
  if (!image || image.user_id !== caller.user_id) return notFound();
  if (state.inUse(image.image_id)) return new DomainError('conflict', 'Image is in use by one or more chutes');
  return { image, action: { user_id: caller.user_id, at: now, kind: 'delete' } };
}
