// Checks on a JSON request body that JSON.parse cannot make: it keeps the last of two equal keys
// ({"rating":9,"rating":1} reads as 1) and accepts escapes of half a UTF-16 pair ("\ud800").
import { visit } from 'jsonc-parser';

/** The first key that appears twice in one object of the JSON text, or undefined. */
export function duplicateKey(text: string): string | undefined {
  if (fewerThanTwoKeys(text)) return undefined;
  const open: Set<string>[] = [];
  let found: string | undefined;
  try {
    walk(text, open, (key) => (found ??= key));
  } catch (err) {
    // jsonc-parser recurses per level: a body nested deeper than the stack holds no answer here, and
    // is refused by the schema check that follows (no operation takes such nesting).
    if (err instanceof RangeError) return undefined;
    throw err;
  }
  return found;
}

/** Every key ends with a quote and a colon: a text with fewer than two such pairs holds no two keys (a string value holding one only errs toward scanning). */
const KEY_END = /"[ \t\r\n]*:/g;

function fewerThanTwoKeys(text: string): boolean {
  KEY_END.lastIndex = 0;
  return !KEY_END.test(text) || !KEY_END.test(text);
}

function walk(text: string, open: Set<string>[], onDuplicate: (key: string) => void): void {
  visit(text, {
    onObjectBegin: () => {
      open.push(new Set());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (property) => {
      const keys = open.at(-1);
      if (!keys) return;
      if (keys.has(property)) onDuplicate(property);
      else keys.add(property);
    },
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string holds half a surrogate pair: no UTF-8 text can carry it, so no stored text may. */
export const hasLoneSurrogate = (value: string): boolean => LONE_SURROGATE.test(value);
