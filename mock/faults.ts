// --fail-rate: a seeded draw per request, so a run with the same seed fails the same requests.
export function createRandom(seed?: string | number): () => number {
  if (seed === undefined) return Math.random;
  // mulberry32 over a hash of the seed text.
  let h = 1779033703;
  for (const ch of String(seed)) h = Math.imul(h ^ ch.charCodeAt(0), 3432918353);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
