// Query numbers as the contract means them. The validator coerces with Number(), so page=0x10 reads
// as 16, page=1e3 as 1000 and 9007199254740993 as its neighbour; an integer is decimal digits only,
// a safe integer, and a number is a decimal with an optional fraction. Violations leave as the
// validator's own error shape, so each contract's error handler answers them in its own words.
import type { Request, RequestHandler } from 'express';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const INTEGER = /^-?\d{1,16}$/;
const NUMBER = /^-?\d{1,300}(\.\d{1,300})?$/;

/** Why `text` is not a query value of that type, or undefined when it is. */
export function numericTextProblem(type: 'integer' | 'number', text: string): string | undefined {
  if (type === 'integer') return INTEGER.test(text) && Number.isSafeInteger(Number(text)) ? undefined : 'must be an integer written in decimal digits (a safe integer)';
  return NUMBER.test(text) && Number.isFinite(Number(text)) ? undefined : 'must be a number written in decimal digits';
}

/** Follows local `#/...` references of the bundle. */
function deref(spec: Json, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 10; hops++) {
    current = (current.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), spec);
  }
  return current;
}

/** The numeric type of a query parameter's schema, if it has one. */
function numericType(spec: Json, schema: unknown): 'integer' | 'number' | undefined {
  const s = deref(spec, schema);
  if (!isObject(s)) return undefined;
  const type = Array.isArray(s.type) ? s.type.find((t) => t === 'integer' || t === 'number') : s.type;
  return type === 'integer' || type === 'number' ? type : undefined;
}

type OpenApiRequest = Request & { openapi?: { schema?: { parameters?: unknown[] }; pathItem?: { parameters?: unknown[] } } };

/** After the validator's metadata middleware: refuses a numeric query value that is not plain decimal text. */
export function strictQueryNumbers(spec: Json): RequestHandler {
  const cache = new WeakMap<object, Map<string, 'integer' | 'number'>>();
  const numericParameters = (operation: object, parameters: unknown[]) => {
    let known = cache.get(operation);
    if (!known) {
      known = new Map();
      for (const p of parameters.map((p) => deref(spec, p))) {
        if (!isObject(p) || p.in !== 'query' || typeof p.name !== 'string') continue;
        const type = numericType(spec, p.schema);
        if (type) known.set(p.name, type);
      }
      cache.set(operation, known);
    }
    return known;
  };
  return function strictQueryNumbers(req, _res, next) {
    const q = req.originalUrl.indexOf('?');
    const operation = (req as OpenApiRequest).openapi?.schema;
    if (q < 0 || !operation) return next();
    const numeric = numericParameters(operation, [...((req as OpenApiRequest).openapi?.pathItem?.parameters ?? []), ...(operation.parameters ?? [])]);
    if (numeric.size === 0) return next();
    for (const part of req.originalUrl.slice(q + 1).split('&')) {
      const eq = part.indexOf('=');
      let name: string;
      let text: string;
      try {
        name = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replaceAll('+', ' '));
        text = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replaceAll('+', ' '));
      } catch {
        continue; // the contract's own check refuses a broken escape
      }
      const type = numeric.get(name);
      // an empty value or a word (Number() gives NaN) is the validator's to refuse, in its words
      if (type === undefined || text.trim() === '' || Number.isNaN(Number(text))) continue;
      const problem = numericTextProblem(type, text);
      if (problem) return next(Object.assign(new Error(`query ${name} ${problem}`), { status: 400, errors: [{ path: `/query/${name}`, message: problem, errorCode: 'type.openapi.validation' }] }));
    }
    next();
  };
}
