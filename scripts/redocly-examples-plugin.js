// Redocly plugin: makes the example pairing convention of spec/README.md a lint failure.
//   example-pairing  - every request example key has exactly one response example, path parameters
//                      resolve, and the x- extensions are well formed; under the root's
//                      `x-example-pairing: same-key`, every response example names each part its
//                      request needs (path, required query/header parameters, a required body).
//   example-validity - every example validates against its schema; one marked `x-invalid: true`
//                      must not (it exists to show a rejected request), so it cannot rot silently.
// It replaces no-invalid-media-type-examples / no-invalid-parameter-examples, which cannot tell a
// deliberately invalid request example from a broken one.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// A thin copy of spec-conventions/roles.ts (callerRoles): Redocly loads this plugin with plain Node,
// which cannot import TypeScript. spec-conventions/roles.test.ts runs both on one table and compares.
/** The root's `x-caller-roles` (non-empty strings) when it names any, else owner and other. */
export function callerRoles(root) {
  const raw = root?.['x-caller-roles'];
  const declared = Array.isArray(raw) ? raw.filter((r) => typeof r === 'string' && r !== '') : [];
  return declared.length > 0 ? declared : ['owner', 'other'];
}
const MATCHES = new Set(['exact', 'fields', 'schema']);

// A thin copy of spec-conventions/pairing.ts (declaresSameKey, pairingGaps), compared with it on one
// table in spec-conventions/pairing.test.ts.
export const PAIRING_EXTENSION = 'x-example-pairing';
export const SAME_KEY = 'same-key';
/**
 * Where response example `key` is not paired: each part every request needs (path parameters,
 * required query and header parameters, a required body named in any of its media types) without
 * the key; else, when the operation has request parts and none names the key, `any of its request
 * parts` (Specmatic refuses such an example). `op` has its path-level parameters merged, $refs resolved.
 */
export function pairingGaps(op, key) {
  const gaps = [];
  let parts = 0;
  let named = 0;
  for (const p of op.parameters ?? []) {
    if (p.in === 'cookie') continue;
    parts++;
    const has = Object.hasOwn(p.examples ?? {}, key);
    if (has) named++;
    else if (p.in === 'path' || p.required === true) gaps.push(`its ${p.in} parameter "${p.name}"`);
  }
  const body = op.requestBody;
  if (body) {
    parts++;
    const has = Object.values(body.content ?? {}).some((m) => Object.hasOwn(m?.examples ?? {}, key));
    if (has) named++;
    else if (body.required === true) gaps.push('its request body');
  }
  if (gaps.length === 0 && parts > 0 && named === 0) gaps.push('any of its request parts');
  return gaps;
}

// Where JSON Schema keeps subschemas (the same table as conformance/schema.ts): one, a map, a list.
const ONE = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'additionalItems', 'contentSchema']);
const MANY = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']);
const LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
// Words ajv need not see: annotations and OpenAPI's own (ids are the compiler's to give).
const DROPPED = new Set(['$id', '$schema', 'example', 'examples', 'xml', 'externalDocs', 'discriminator', 'description', 'title', 'nullable']);
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A `$ref` followed to its target (a chain of them too), with the file the target lives in. */
function resolve(ctx, node, from) {
  let cur = node;
  let file = from;
  const seen = new Set();
  while (isObj(cur) && typeof cur.$ref === 'string') {
    const resolved = ctx.resolve(cur, file);
    if (resolved.node === undefined || seen.has(resolved.node)) return { node: undefined, from: file }; // no-unresolved-refs reports it
    seen.add(resolved.node);
    file = resolved.location?.source.absoluteRef ?? file;
    cur = resolved.node;
  }
  return { node: cur, from: file };
}

/**
 * Compiles the spec's schemas without expanding them. Each `$ref` becomes a reference to an id under
 * which its target is added to ajv once (a visited set, so recursive schemas end); the value of an
 * example is never walked, so a `$ref` key inside it stays data. Stripe's spec ran this plugin out of
 * memory at 4.3 GB when it copied every expansion down to depth 64. OpenAPI 3.0's `nullable` and
 * boolean exclusive bounds are translated to 2020-12, as conformance/schema.ts does.
 */
function schemaCompiler() {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateFormats: true,
    unicodeRegExp: false, // specs write patterns such as [\w\-] that are ECMAScript but invalid under the u flag
    logger: { log() {}, warn() {}, error() {} }, // an unknown format is not an error
  });
  addFormats(ajv);
  const ids = new Map(); // target location -> id
  const compiled = new WeakMap(); // schema node -> validate function, or the Error it failed with
  let openapi30 = false;

  // Targets met but not yet added; drained after each compile's walk, so a long chain of components
  // costs a loop, not the call stack.
  const pending = [];
  const translate = (ctx, node, from) => {
    if (!isObj(node)) return node;
    if (typeof node.$ref === 'string') {
      const resolved = ctx.resolve(node, from);
      if (resolved.node === undefined) return true; // no-unresolved-refs reports it
      const file = resolved.location?.source.absoluteRef ?? from;
      const where = `${file}#${resolved.location?.pointer ?? ''}`;
      let id = ids.get(where);
      if (id === undefined) {
        id = `urn:examples-plugin:schema:${ids.size}`;
        ids.set(where, id);
        pending.push({ node: resolved.node, from: file, id });
      }
      // 3.1 keeps keywords beside a $ref; 3.0 ignores them
      const { $ref: _ref, ...siblings } = node;
      return !openapi30 && Object.keys(siblings).length > 0 ? { ...translate(ctx, siblings, from), $ref: id } : { $ref: id };
    }
    const sub = (v) => translate(ctx, v, from);
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (DROPPED.has(k) || k.startsWith('x-')) continue;
      if (ONE.has(k)) out[k] = Array.isArray(v) ? v.map(sub) : sub(v);
      else if (MANY.has(k) && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, sub(s)]));
      else if (LIST.has(k) && Array.isArray(v)) out[k] = v.map(sub);
      else out[k] = v;
    }
    return openapi30 ? from30(node, out) : out;
  };
  const prepare = (ctx, schema, from) => {
    const root = translate(ctx, schema, from);
    while (pending.length > 0) {
      const { node, from: file, id } = pending.pop();
      const target = translate(ctx, node, file);
      ajv.addSchema(isObj(target) ? { ...target, $id: id } : { allOf: [target], $id: id }, undefined, undefined, false);
    }
    return root;
  };

  return {
    setVersion(openapi) {
      openapi30 = typeof openapi === 'string' && openapi.startsWith('3.0');
    },
    /** The validate function of a schema node of the spec, or the Error it failed to compile with. */
    validatorFor(ctx, schema, from) {
      if (!isObj(schema)) return ajv.compile(schema === false ? false : true);
      let fn = compiled.get(schema);
      if (fn === undefined) {
        try {
          fn = ajv.compile(prepare(ctx, schema, from));
        } catch (err) {
          fn = new Error(String(err?.message ?? err).split('\n')[0]);
        }
        compiled.set(schema, fn);
      }
      return fn;
    },
  };
}

/** OpenAPI 3.0's dialect in 2020-12 terms: `nullable`, boolean exclusiveMinimum / exclusiveMaximum (conformance/schema.ts's from30; its test holds both to one table). */
export function from30(node, out) {
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else delete out[exclusive];
  }
  if (node.nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') out.type = [out.type, 'null'];
  else if (out.type === undefined && ['allOf', 'anyOf', 'oneOf', '$ref', 'not', 'enum', 'const'].some((k) => k in out)) return { anyOf: [out, { type: 'null' }] };
  return out;
}

/** Named examples with each `$ref` followed (their values are data, never walked). */
function resolvedExamples(ctx, examples, from) {
  if (!isObj(examples)) return undefined;
  return Object.fromEntries(Object.entries(examples).map(([key, ex]) => [key, resolve(ctx, ex, from).node]));
}

/** A parameter, body or media type with its named examples resolved and where its schema lives. */
function withExamples(ctx, holder, from) {
  return isObj(holder) ? { ...holder, examples: resolvedExamples(ctx, holder.examples, from), schemaFrom: from } : holder;
}

/**
 * The operation with its path-level parameters merged in, the `$ref`s of the objects the rules read
 * followed (parameters, request body, responses, named examples), and no schema expanded: each keeps
 * `schemaFrom`, the file its `$ref`s are relative to.
 */
function resolvedOperation(operation, ctx, parents) {
  const from = ctx.location.source.absoluteRef;
  const parameter = (raw) => {
    const { node, from: file } = resolve(ctx, raw, from);
    return withExamples(ctx, node, file);
  };
  const op = { ...operation };
  op.parameters = (Array.isArray(operation.parameters) ? operation.parameters : []).map(parameter).filter(isObj);
  const own = new Set(op.parameters.map((p) => `${p.in}:${p.name}`));
  const pathParams = (Array.isArray(parents?.PathItem?.parameters) ? parents.PathItem.parameters : []).map(parameter).filter(isObj);
  op.parameters.push(...pathParams.filter((p) => !own.has(`${p.in}:${p.name}`)));
  const content = (holder, file) => (isObj(holder?.content) ? Object.fromEntries(Object.entries(holder.content).map(([mt, media]) => [mt, withExamples(ctx, media, file)])) : undefined);
  if (operation.requestBody !== undefined) {
    const { node, from: file } = resolve(ctx, operation.requestBody, from);
    op.requestBody = isObj(node) ? { ...node, content: content(node, file) } : undefined;
  }
  if (isObj(operation.responses)) {
    op.responses = Object.fromEntries(
      Object.entries(operation.responses).map(([status, raw]) => {
        const { node, from: file } = resolve(ctx, raw, from);
        return [status, isObj(node) ? { ...node, content: content(node, file) } : node];
      }),
    );
  }
  return op;
}

/** `in:name` of the parameters the operation shares: those it takes by $ref, and the path item's. */
function sharedParameters(operation, ctx, parents) {
  const from = ctx.location.source.absoluteRef;
  const inline = new Set();
  const shared = new Set();
  for (const raw of operation.parameters ?? []) {
    const p = resolve(ctx, raw, from).node;
    if (isObj(p)) (typeof raw?.$ref === 'string' ? shared : inline).add(`${p.in}:${p.name}`);
  }
  const pathLevel = parents?.PathItem?.parameters;
  for (const raw of Array.isArray(pathLevel) ? pathLevel : []) {
    const p = resolve(ctx, raw, from).node;
    if (isObj(p) && !inline.has(`${p.in}:${p.name}`)) shared.add(`${p.in}:${p.name}`);
  }
  return shared;
}

function responseExamples(op) {
  const found = [];
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    for (const [mediaType, media] of Object.entries(response?.content ?? {})) {
      for (const [key, example] of Object.entries(media?.examples ?? {})) {
        if (isObj(example)) found.push({ key, status, mediaType, example, schema: media.schema, schemaFrom: media.schemaFrom });
      }
    }
  }
  return found;
}

function ExamplePairing() {
  // `none` (no credentials) is always a caller
  let CALLERS = new Set(['none', ...callerRoles({})]);
  let sameKey = false;
  return {
    Root: {
      enter(root, ctx) {
        CALLERS = new Set(['none', ...callerRoles(root)]);
        const declared = root?.[PAIRING_EXTENSION];
        sameKey = declared === SAME_KEY;
        if (declared !== undefined && !sameKey) ctx.report({ message: `${PAIRING_EXTENSION} must be ${JSON.stringify(SAME_KEY)} (pairing by example key only, no fallback), got ${JSON.stringify(declared)}`, location: ctx.location.child([PAIRING_EXTENSION]) });
      },
    },
    // nested under PathItem, so `parents.PathItem` holds the path's own parameters
    PathItem: {
      Operation: {
        enter(operation, ctx, parents) {
          const op = resolvedOperation(operation, ctx, parents);
          const name = op.operationId ?? '(operation)';
          const report = (message) => ctx.report({ message: `${name}: ${message}`, location: ctx.location });
          const responses = responseExamples(op);
          const byKey = new Map();
          for (const r of responses) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
          for (const [key, list] of byKey) {
            if (list.length > 1) report(`response example "${key}" stands under ${list.map((r) => `${r.status} ${r.mediaType}`).join(' and ')}; a case key must name one response`);
          }
          if (sameKey) {
            for (const { key, status, mediaType } of responses) {
              for (const gap of pairingGaps(op, key)) report(`response example "${key}" (${status} ${mediaType}) has no example "${key}" on ${gap}; ${PAIRING_EXTENSION}: ${SAME_KEY} pairs by key only`);
            }
          }
          // Parameters shared by several operations (a $ref to a component, or the path item's) may
          // carry the keys of all of them, as in Specmatic's own examples: their keys need no response here.
          const shared = sharedParameters(operation, ctx, parents);
          const requestKeys = new Map();
          for (const p of op.parameters ?? []) {
            if (p.in === 'path' && Object.keys(p.examples ?? {}).length === 0) report(`path parameter "${p.name}" has no example, so no case can be sent`);
            const also = p['x-also-matches'];
            if (also !== undefined && (p.in !== 'path' || !Array.isArray(also) || also.length === 0 || also.some((t) => typeof t !== 'string' || !/\{[^{}]+\}/.test(t)))) {
              report(`parameter "${p.name}": x-also-matches is for path parameters, a list of templates over the item's fields such as "{name}:{tag}"`);
            }
            // a path parameter's first example is its default value for every case; it need not be a case
            // itself. Under same-key pairing there are no defaults, but a shared parameter's keys are others' too.
            if (sameKey && shared.has(`${p.in}:${p.name}`)) continue;
            const keys = Object.keys(p.examples ?? {}).slice(p.in === 'path' && !sameKey ? 1 : 0);
            for (const key of keys) requestKeys.set(key, `${p.in} parameter "${p.name}"`);
          }
          for (const media of Object.values(op.requestBody?.content ?? {})) {
            for (const key of Object.keys(media?.examples ?? {})) requestKeys.set(key, 'request body');
          }
          for (const [key, where] of requestKeys) {
            if (!byKey.has(key)) report(`the ${where} example "${key}" has no response example of the same name`);
          }
          for (const [status, response] of Object.entries(op.responses ?? {})) {
            for (const [mediaType, media] of Object.entries(response?.content ?? {})) {
              const beat = media?.['x-stream-heartbeat'];
              if (beat === undefined) continue;
              const where = `${status} ${mediaType}: x-stream-heartbeat`;
              if (mediaType.split(';')[0].trim().toLowerCase() !== 'text/event-stream') report(`${where} is for text/event-stream only (a line stream has no line that is not an item)`);
              else if (beat === null || typeof beat !== 'object' || typeof beat.text !== 'string' || beat.text.trim() === '' || !Number.isInteger(beat['interval-ms']) || beat['interval-ms'] <= 0) {
                report(`${where} must be { text: <non-empty>, interval-ms: <positive integer> }`);
              } else if (/^(data|event|id|retry)(:|$)/m.test(beat.text) || !beat.text.endsWith('\n')) {
                report(`${where} text must be whole lines that are not an event's fields (such as ".\\n" or ": ping\\n")`);
              }
            }
          }
          for (const { key, example } of responses) {
            const caller = example['x-caller'];
            if (caller !== undefined && !CALLERS.has(caller)) report(`example "${key}": x-caller must be one of ${[...CALLERS].join(', ')}, got ${JSON.stringify(caller)}`);
            const match = example['x-match'];
            if (match !== undefined && !MATCHES.has(match)) report(`example "${key}": x-match must be one of ${[...MATCHES].join(', ')}, got ${JSON.stringify(match)}`);
            const ignore = example['x-match-ignore'];
            if (ignore !== undefined) {
              if (match !== 'fields') report(`example "${key}": x-match-ignore only applies with x-match: fields`);
              if (!Array.isArray(ignore) || ignore.some((p) => typeof p !== 'string' || !p.startsWith('/'))) report(`example "${key}": x-match-ignore must list JSON pointers such as /message`);
            }
            const replayable = example['x-replayable'];
            if (replayable !== undefined && typeof replayable !== 'boolean') report(`example "${key}": x-replayable must be true or false`);
            if (replayable === false && typeof example['x-skip-reason'] !== 'string') report(`example "${key}": a case that is not replayable needs x-skip-reason`);
            if (example['x-invalid'] !== undefined) report(`example "${key}": x-invalid marks request examples only`);
          }
        },
      },
    },
  };
}

function ExampleValidity() {
  const compiler = schemaCompiler();
  const unusable = new WeakSet(); // schemas whose compile failure was reported once already
  const check = (ctx, report, where, example, schema, from) => {
    if (!schema || !isObj(example) || !('value' in example)) return;
    const validate = compiler.validatorFor(ctx, schema, from);
    if (validate instanceof Error) {
      if (!unusable.has(schema)) report(`${where}: its schema cannot be compiled (${validate.message}), so no example of it can be checked`);
      unusable.add(schema);
      return;
    }
    const ok = validate(example.value);
    if (example['x-invalid'] === true) {
      if (ok) report(`${where} is marked x-invalid but its value is valid; a rejected-request example must break the schema`);
    } else if (!ok) {
      const e = validate.errors?.[0];
      report(`${where} does not match its schema: ${e?.instancePath || '(root)'} ${e?.message}`);
    }
  };
  return {
    Root: {
      enter(root) {
        compiler.setVersion(root?.openapi);
      },
    },
    // nested under PathItem, so `parents.PathItem` holds the path's own parameters
    PathItem: {
      Operation: {
        enter(operation, ctx, parents) {
          const op = resolvedOperation(operation, ctx, parents);
          const name = op.operationId ?? '(operation)';
          const report = (message) => ctx.report({ message: `${name}: ${message}`, location: ctx.location });
          for (const p of op.parameters) {
            for (const [key, ex] of Object.entries(p.examples ?? {})) check(ctx, report, `${p.in} parameter "${p.name}" example "${key}"`, ex, p.schema, p.schemaFrom);
          }
          for (const [mediaType, media] of Object.entries(op.requestBody?.content ?? {})) {
            for (const [key, ex] of Object.entries(media?.examples ?? {})) check(ctx, report, `request body ${mediaType} example "${key}"`, ex, media.schema, media.schemaFrom);
          }
          for (const r of responseExamples(op)) check(ctx, report, `response ${r.status} ${r.mediaType} example "${r.key}"`, r.example, r.schema, r.schemaFrom);
        },
      },
    },
  };
}

export default function examplesPlugin() {
  return {
    id: 'examples',
    rules: {
      oas3: {
        'example-pairing': ExamplePairing,
        'example-validity': ExampleValidity,
      },
    },
  };
}
