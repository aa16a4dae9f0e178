// Validator verdicts that cannot change, remembered: a response repeats the same values on every
// request (each image's added_date, each unchanged image summary on every page), and checking them
// again gives the same answer. Every response is still validated in full on every request: what is
// skipped is only a repeated check of an input that cannot have changed since it passed.
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import type { FormatDefinition } from 'ajv';
import type { DataValidateFunction } from 'ajv/dist/types/index.js';
import { isSettled } from './json-text.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The same format check, its verdicts kept per text (bounded: a client can send endless distinct strings). */
export function rememberedFormat(definition: unknown): FormatDefinition<string> {
  const def = definition as { validate: (text: string) => boolean; compare?: (a: string, b: string) => number | undefined };
  const verdicts = new Map<string, boolean>();
  return {
    type: 'string',
    validate(text: string) {
      let verdict = verdicts.get(text);
      if (verdict === undefined) {
        verdict = def.validate(text);
        if (verdicts.size >= 100_000) verdicts.clear();
        verdicts.set(text, verdict);
      }
      return verdict;
    },
    ...(def.compare ? { compare: def.compare } : {}),
  };
}

/** The keyword `withSettledItems` puts in place of an array's `items: {$ref}`. */
export const SETTLED_ITEMS = 'x-settled-items';

/**
 * A copy of `document` where every array whose items are one referenced schema checks them through
 * SETTLED_ITEMS (register it with `addSettledItems`): the same schema, with the objects that passed it
 * and are settled (frozen, flat, plain: json-text.ts) remembered, so an unchanged item is not walked again.
 */
export function withSettledItems(document: Json): Json {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) out[key] = visit(value);
    const items = out.items;
    if (out.type === 'array' && isObject(items) && typeof items.$ref === 'string' && items.$ref.startsWith('#/') && Object.keys(items).length === 1) {
      out.items = { [SETTLED_ITEMS]: items.$ref };
    }
    return out;
  };
  return visit(document) as Json;
}

/**
 * Registers SETTLED_ITEMS on `ajv`, whose schema `documentId` holds the document: the item is checked
 * against the referenced schema, and one that passed and is settled is remembered as passed. An item
 * that fails reports the referenced schema's errors.
 */
export function addSettledItems(ajv: Ajv2020, documentId: string): void {
  ajv.addKeyword({
    keyword: SETTLED_ITEMS,
    schemaType: 'string',
    errors: true,
    compile(ref: string) {
      const passed = new WeakSet<object>();
      let validate: ValidateFunction | undefined; // compiled on first use: the referenced schema may refer back here
      const check: DataValidateFunction = (data: unknown, where?: { instancePath?: string }): boolean => {
        if (typeof data === 'object' && data !== null && passed.has(data)) return true;
        validate ??= ajv.getSchema(`${documentId}${ref}`);
        if (!validate) throw new Error(`${ref} is not in the contract`);
        if (!validate(data)) {
          // The referenced schema's errors, with paths from the whole instance's root as ajv gives them.
          check.errors = (validate.errors ?? []).map((error) => ({ ...error, instancePath: `${where?.instancePath ?? ''}${error.instancePath}` }));
          return false;
        }
        if (typeof data === 'object' && data !== null && Object.isFrozen(data) && isSettled(data)) passed.add(data);
        return true;
      };
      return check;
    },
  });
}
