// JSON.stringify's exact output, with the text of a frozen, flat, plain object remembered: such an
// object can never serialise differently, so an image summary the domain hands out again unchanged
// (see catalog.ts) costs a lookup instead of a serialisation. Everything else is serialised afresh.
// Why: JSON.stringify of a page was a sixth of a list request once validation was compiled.

const texts = new WeakMap<object, string>();

/**
 * Frozen, a plain object, and every own property a data property holding a primitive: such an object
 * can never change, so anything computed from it alone (its text, a validator's verdict) holds for good.
 */
export function isSettled(value: object): boolean {
  if (!Object.isFrozen(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(value))) {
    if (!('value' in descriptor)) return false; // a getter may answer differently next time
    const inner: unknown = descriptor.value;
    if (typeof inner === 'object' && inner !== null) return false;
  }
  return true;
}

const skipped = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** The same text as JSON.stringify(value) for a JSON-shaped value (plain objects, arrays, primitives). */
export function jsonText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const known = texts.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      text += (i > 0 ? ',' : '') + (skipped(item) ? 'null' : jsonText(item));
    }
    return `${text}]`;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
  if (isSettled(value)) {
    const text = JSON.stringify(value);
    texts.set(value, text);
    return text;
  }
  let text = '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (skipped(item)) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${jsonText(item)}`;
    first = false;
  }
  return `${text}}`;
}
