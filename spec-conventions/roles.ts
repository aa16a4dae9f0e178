// Who sends a documented request (spec/README.md, `x-caller`), read one way by the mock, the
// conformance suite and the lint rule: the caller roles a spec names, and the default caller.
type Obj = Record<string, unknown>;

/** The caller of a request without credentials; always allowed as an `x-caller`. */
export const NO_CALLER = 'none';

/** The roles of a spec that names none (`x-caller-roles` absent): spec/README.md's owner and other. */
export const DEFAULT_ROLES: readonly string[] = ['owner', 'other'];

/** The root's `x-caller-roles` when it names any (non-empty strings, in order), else owner and other. */
export function callerRoles(root: Obj): string[] {
  const declared = declaredRoles(root);
  return declared.length > 0 ? declared : [...DEFAULT_ROLES];
}

/** Only what the root's `x-caller-roles` names; empty when it names nothing. */
export function declaredRoles(root: Obj): string[] {
  const raw = root['x-caller-roles'];
  return Array.isArray(raw) ? raw.filter((r): r is string => typeof r === 'string' && r !== '') : [];
}

/** The role that sends a request unless an example says otherwise: the first role. */
export function defaultRole(roles: readonly string[]): string {
  return roles[0] ?? DEFAULT_ROLES[0]!;
}

/**
 * The caller of a documented request: the example's `x-caller` when it names one, else the default
 * role on an operation every security requirement of which needs credentials, else `none`.
 */
export function exampleCaller(extensions: Obj, roles: readonly string[], secured: boolean): string {
  const named = extensions['x-caller'];
  if (typeof named === 'string' && named !== '') return named;
  return secured ? defaultRole(roles) : NO_CALLER;
}

/** Every caller an `x-caller` may name: `none` and the roles. */
export function allowedCallers(roles: readonly string[]): string[] {
  return [NO_CALLER, ...roles];
}

/** An operation is secured when every security requirement it lists needs a credential (`{}` means anyone). */
export function isSecured(security: readonly unknown[]): boolean {
  return security.length > 0 && security.every((r) => typeof r === 'object' && r !== null && Object.keys(r).length > 0);
}
