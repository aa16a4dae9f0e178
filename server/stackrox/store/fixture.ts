// The demo world: images (built from seeds), their deployments, the image integrations, the watched
// names, the API tokens and their roles, and the moment the demo clock starts at.
import { buildImage, type ImageSeed } from '../domain/image-build.ts';
import type { Deployment, ImageRecord, RegistryIntegration } from '../domain/model.ts';
import type { Role } from '../domain/permissions.ts';
import { demoWorld } from './fixtures/demo.ts';

export interface Fixture {
  clock: string;
  images: ImageRecord[];
  watchedImages: string[];
  integrations: RegistryIntegration[];
}

/** Who may call: API tokens and the admin password, each with a role. */
export interface Credentials {
  tokens: Record<string, Role>;
  basic: { username: string; password: string; role: Role };
}

export interface World {
  clock: string;
  integrations: RegistryIntegration[];
  images: { seed: ImageSeed; deployments: Deployment[] }[];
  watchedImages: string[];
  credentials: Credentials;
}

export function fixtureOf(world: World): Fixture {
  const registryOf = (host: string) => world.integrations.find((i) => i.registry === host);
  return {
    clock: world.clock,
    images: world.images.map(({ seed, deployments }) => ({ image: buildImage(seed, registryOf(seed.name.registry)), deployments })),
    watchedImages: world.watchedImages,
    integrations: world.integrations,
  };
}

export const loadDemoFixture = (): Fixture => fixtureOf(demoWorld);
export const demoCredentials = (): Credentials => demoWorld.credentials;
