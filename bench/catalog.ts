// A scale catalog: the demo fixture with its catalog grown to N images by a deterministic generator,
// in demo.json's format, so the same users, containers and tokens work at 1k, 10k and 100k.
import { loadDemoFixture, type Fixture, type FixtureImage } from '../server/images/store/fixture.ts';

const OSES: [os: string, releases: string[], codenames: string[]][] = [
  ['ubuntu', ['20.04', '22.04', '24.04', '24.10'], ['focal', 'jammy', 'noble', 'oracular']],
  ['debian', ['10', '11', '12', '13'], ['buster', 'bullseye', 'bookworm', 'trixie']],
  ['alpine', ['3.18', '3.19', '3.20', 'edge'], ['stable', 'stable', 'stable', 'rolling']],
  ['centos', ['stream8', 'stream9', 'stream10'], ['stream', 'stream', 'stream']],
  ['fedora', ['39', '40', '41'], ['workstation', 'server', 'cloud']],
  ['rockylinux', ['8', '9'], ['green', 'blue']],
  ['almalinux', ['8', '9'], ['sky', 'teal']],
  ['opensuse', ['15.5', '15.6', 'tumbleweed'], ['leap', 'leap', 'rolling']],
  ['archlinux', ['current'], ['rolling']],
  ['amazonlinux', ['2', '2023'], ['amzn', 'amzn']],
];
const ARCHITECTURES = ['amd64', 'amd64', 'arm64', 'arm64', 'armhf', 'riscv64'];
const VARIANTS = ['default', 'minimal', 'cloud', 'pro', 'hardened', 'enterprise'];
const PRICES = [0, 0, 0, 1.99, 4.99, 5.99, 9.99, 14.5, 19.99, 49];
const START = Date.parse('2019-01-01T00:00:00.000Z');
const SPAN_MINUTES = 6 * 365 * 24 * 60; // added dates spread over six years before the demo clock

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

/** Generated ids start with `bc` so that they never meet the demo's `507f...` and `65a...` ids. */
export const generatedImageId = (index: number) => `bc${index.toString(16).padStart(22, '0')}`;

/** The index-th generated image; the same index always gives the same image. */
export function generatedImage(index: number, seed = 1): FixtureImage {
  const next = random(seed * 1_000_003 + index);
  const [os, releases, codenames] = pick(next, OSES);
  const r = Math.floor(next() * releases.length);
  const release = releases[r] as string;
  const codename = codenames[r] as string;
  const architecture = pick(next, ARCHITECTURES);
  const variant = pick(next, VARIANTS);
  const added = new Date(START + Math.floor(next() * SPAN_MINUTES) * 60_000);
  const count = Math.floor(next() * 400);
  const average = 1 + next() * 4;
  const build = index.toString(36);
  return {
    id: generatedImageId(index),
    alias: `${os}/${release}/${variant}/${build}`,
    description: `${os} ${release} (${codename}) ${variant} build ${build}`,
    image_name: `${os}-${release}-${variant}-${architecture}-${build}`,
    architecture,
    os,
    release,
    variant,
    serial: added.toISOString().slice(0, 10).replaceAll('-', ''),
    size: 20_000_000 + Math.floor(next() * 2_000_000_000),
    price: pick(next, PRICES),
    added_date: added.toISOString(),
    has_icon: next() < 0.7,
    prespawn: next() < 0.1,
    tags: [...new Set([os, release, codename, architecture, variant])].sort(),
    base_rating_sum_tenths: Math.min(50 * count, Math.round(average * 10) * count),
    base_rating_count: count,
  };
}

/** The demo fixture with `size` catalog images in all: the demo's own, then generated ones. */
export function scaleFixture(size: number, seed = 1): Fixture {
  const fixture = loadDemoFixture();
  const images = fixture.images.slice(0, size);
  for (let i = 0; images.length < size; i++) images.push(generatedImage(i, seed));
  const kept = new Set(images.map((image) => image.id));
  // A catalog smaller than the demo's keeps only the users' references that still resolve.
  const users = fixture.users.map((user) => ({
    ...user,
    images: user.images.filter((entry) => kept.has(entry.image_id)),
    ratings: Object.fromEntries(Object.entries(user.ratings).filter(([id]) => kept.has(id))),
  }));
  return { ...fixture, images, users };
}

// `node --import tsx bench/catalog.ts 10000 > catalog.json` writes a fixture file.
if (import.meta.url === `file://${process.argv[1]}`) {
  const size = Number(process.argv[2] ?? 1000);
  process.stdout.write(`${JSON.stringify(scaleFixture(size), null, 1)}\n`);
}
