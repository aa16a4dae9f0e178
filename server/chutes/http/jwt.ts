// HS256 JWTs naming a user (`sub`) until `exp`: the "Bearer <JWT>" way in. node:crypto only.
import { createHmac, timingSafeEqual } from 'node:crypto';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function signJwt(claims: { sub: string; exp: number; iat?: number }, secret: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${b64url(createHmac('sha256', secret).update(`${head}.${body}`).digest())}`;
}

/** The user id a valid, unexpired token names; undefined for anything else. */
export function verifyJwt(token: string, secret: string, nowMs: number): string | undefined {
  const [head, body, signature, ...rest] = token.split('.');
  if (!head || !body || !signature || rest.length > 0) return undefined;
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown };
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
    if (header.alg !== 'HS256' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined;
    return claims.exp * 1000 > nowMs ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}
