// Credentials per caller role from the config and the flags, and the usage errors of credentials
// that fit no scheme the spec offers.
import type { ConformanceConfig } from './config.ts';
import { UsageError } from './config.ts';
import type { Credentials, RoleCredentials } from './http.ts';
import type { SpecModel } from './model.ts';

export interface CredentialFlags {
  token?: string[];
  basic?: string[];
  header?: string[];
}

/**
 * `--token [role=]T`, `--basic [role=]user:password`, `--header [role:]Name=value`: without a role
 * they are the default role's, the caller of every secured request a spec without `x-caller-roles`
 * documents. `name=` counts as a role when the spec names it; a name it does not know is a usage
 * error (a typo would otherwise send `admn=T` as a token), except a base64 token's `=` padding.
 */
export function credentialsFrom(config: ConformanceConfig, flags: CredentialFlags, spec: Pick<SpecModel, 'roles' | 'defaultRole'>): Credentials {
  const credentials: Credentials = {};
  const role = (r: string): RoleCredentials => (credentials[r] ??= {});
  for (const [r, t] of Object.entries(config.tokens)) role(r).token = t;
  for (const [r, b] of Object.entries(config.basic)) role(r).basic = b;
  for (const [r, h] of Object.entries(config.headers)) role(r).headers = { ...h };
  const known = new Set(spec.roles);
  const unknownRole = (flag: string, name: string) =>
    new UsageError(`--${flag}: unknown role ${name}; the spec's roles are ${[...known].join(', ')} (without a role, the credential is ${spec.defaultRole}'s)`);
  const split = (flag: string, text: string, sep: string): [string, string] => {
    const at = text.indexOf(sep);
    const name = text.slice(0, at);
    const rest = text.slice(at + 1);
    if (at > 0 && known.has(name)) return [name, rest];
    if (at > 0 && /^[A-Za-z][\w-]*$/.test(name) && !/^=*$/.test(rest) && (flag !== 'basic' || rest.includes(':'))) throw unknownRole(flag, name);
    return [spec.defaultRole, text];
  };
  for (const t of flags.token ?? []) {
    const [r, token] = split('token', t, '=');
    if (token === '') throw new UsageError(`--token ${t}: expected [<role>=]<token>`);
    role(r).token = token;
  }
  for (const b of flags.basic ?? []) {
    const [r, pair] = split('basic', b, '=');
    if (!pair.includes(':')) throw new UsageError(`--basic ${b}: expected [<role>=]<user>:<password>`);
    role(r).basic = pair;
  }
  for (const h of flags.header ?? []) {
    const withRole = h.match(/^([^:=]+):([^=]+)=(.*)$/s);
    if (withRole && !known.has(withRole[1]!)) throw unknownRole('header', withRole[1]!);
    const [r, name, value] = withRole ? [withRole[1]!, withRole[2]!, withRole[3]!] : [spec.defaultRole, ...(h.match(/^([^=]+)=(.*)$/s)?.slice(1) ?? [])];
    if (name === undefined || value === undefined || name.trim() === '' || /[:\s]/.test(name.trim())) {
      throw new UsageError(`--header ${h}: expected [<role>:]<Name>=<value>`);
    }
    (role(r).headers ??= {})[name.trim()] = value;
  }
  return credentials;
}

const isBasic = (scheme: Record<string, unknown>) => scheme.type === 'http' && String(scheme.scheme ?? '').toLowerCase() === 'basic';

/**
 * A role whose only credential is a bare token (no `user:password`) where every way the spec offers
 * to authenticate any operation is HTTP Basic: the token would be dropped, so say so instead.
 */
export function assertCredentialsFit(spec: Pick<SpecModel, 'operations'>, credentials: Credentials): void {
  for (const [role, c] of Object.entries(credentials)) {
    if (c.token === undefined || c.token.includes(':') || c.basic !== undefined || Object.keys(c.headers ?? {}).length > 0) continue;
    const secured = spec.operations.filter((o) => o.secured);
    const op = secured[0];
    if (!op || !secured.every((o) => o.security.every((r) => r.schemes.some((s) => isBasic(s.scheme))))) continue;
    const scheme = op.security[0]?.schemes.find((s) => isBasic(s.scheme))?.name ?? 'basic';
    throw new UsageError(
      `the token of role ${role} cannot serve ${op.operationId}: its scheme ${scheme} is HTTP Basic; give --basic ${role}=<user>:<password> (or --token ${role}=<user>:<password>)`,
    );
  }
}
