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

/**
 * The same text as JSON.stringify(value) for a JSON-shaped value (plain objects, arrays, primitives).
 * The pieces are joined once at the end: a text built by `+=` is a rope, and measuring or writing a
 * rope (Buffer.byteLength, the socket) cost twice what joining it flat does.
 */
export function jsonText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const known = texts.get(value);
  if (known !== undefined) return known;
  const pieces: string[] = [];
  writeJson(value, pieces);
  return pieces.join('');
}

function writeJson(value: unknown, pieces: string[]): void {
  if (typeof value !== 'object' || value === null) {
    pieces.push(JSON.stringify(value));
    return;
  }
  const known = texts.get(value);
  if (known !== undefined) {
    pieces.push(known);
    return;
  }
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      pieces.push(JSON.stringify(value));
      return;
    }
    pieces.push('[');
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) pieces.push(',');
      if (skipped(item)) pieces.push('null');
      else writeJson(item, pieces);
    }
    pieces.push(']');
    return;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    pieces.push(JSON.stringify(value));
    return;
  }
  if (isSettled(value)) {
    const text = JSON.stringify(value);
    texts.set(value, text);
    pieces.push(text);
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (skipped(item)) continue;
    pieces.push(first ? '{' : ',', JSON.stringify(key), ':');
    writeJson(item, pieces);
    first = false;
  }
  pieces.push(first ? '{}' : '}');
}
