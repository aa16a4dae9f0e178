// What the Chutes Images service keeps. Times are milliseconds since the epoch; money is integer cents.
import type { BuildPlan } from './build.ts';

export interface ChutesUser {
  user_id: string;
  username: string;
  created_at: number;
  logo_id: string | null;
  /** SS58 address of the user's hotkey, for signed requests. */
  hotkey: string;
  /** cpk_ API keys that name this user. */
  api_keys: string[];
  balance_cents: number;
}

/** An image row as stored; status, build times and logs are read off its build plan at the clock's now (domain/build.ts). */
export interface StoredImage {
  image_id: string;
  user_id: string;
  name: string;
  tag: string;
  readme: string;
  logo_id: string | null;
  public: boolean;
  created_at: number;
  chutes_version: string;
  patch_version: string | null;
  /** Planned from the Dockerfile when the image was created: a read never plans again. */
  build: BuildPlan;
}

/** A create or delete, counted by the 24 h rate limit. */
export interface ImageAction {
  user_id: string;
  at: number;
  kind: 'create' | 'delete';
}
