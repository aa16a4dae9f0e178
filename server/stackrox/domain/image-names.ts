// Image references as Docker parses them: [registry/]remote[:tag][@sha256:digest], normalised the way
// StackRox stores them (docker.io for no registry, library/ for an official image, latest for no tag).
import type { ImageName } from './model.ts';

export interface ParsedImageName {
  name: ImageName;
  /** The request named a tag itself (watching needs one). */
  explicitTag: boolean;
  /** sha256:<hex> when the reference carried a digest. */
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const HOST = /^(?:localhost|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)(?::\d+)?$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The parsed reference, or a reason it is not one (Docker's "invalid reference format"). */
export function parseImageName(reference: string): ParsedImageName | { invalid: string } {
  const invalid = { invalid: `invalid image name ${JSON.stringify(reference)}: invalid reference format` };
  let rest = reference.trim();
  if (rest === '' || rest !== reference) return invalid;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return invalid;
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  let tag = '';
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) return invalid;
  }
  if (!HOST.test(registry) || path === '' || !path.split('/').every((c) => COMPONENT.test(c))) return invalid;
  const remote = registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  const explicitTag = tag !== '';
  if (!explicitTag && !digest) tag = 'latest';
  const fullName = tag ? `${registry}/${remote}:${tag}` : `${registry}/${remote}@${digest}`;
  return { name: { registry, remote, tag, fullName }, explicitTag, ...(digest ? { digest } : {}) };
}
