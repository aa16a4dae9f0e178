// conformance/ must work on any spec: its code names nothing of this repository's contract.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Words of the three contracts in this repository (images, StackRox, Chutes): none may appear.
const CONTRACT_WORDS =
  /snapshot|container|purchase|alice|bob-demo|\/api\/v1|rateImage|listPublicImages|ErrorBody|demo-token|stackrox|chutes|cpk_|hotkey|grpc|fastapi|\/v1\/|exportImages|streamBuildLogs|createImage|x-chutes|watchedimage/i;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' ? [] : sources(p);
    return /\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('conformance/ is not tied to the contract', () => {
  it.each(sources('conformance'))('%s names nothing of it', (file) => {
    const hits = fs.readFileSync(file, 'utf8').split('\n').filter((line) => CONTRACT_WORDS.test(line));
    expect(hits).toEqual([]);
  });
});
