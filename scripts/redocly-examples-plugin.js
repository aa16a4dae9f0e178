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

function makeAjv() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // OpenAPI keywords that JSON Schema 2020-12 does not know
  for (const k of ['example', 'xml', 'externalDocs', 'discriminator']) ajv.addKeyword(k);
  return ajv;
}

/** Follows every $ref below `node`, across files, with the walker's own resolver. */
function deref(ctx, node, from, depth = 0) {
  if (depth > 64 || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => deref(ctx, n, from, depth + 1));
  if (typeof node.$ref === 'string') {
    const resolved = ctx.resolve(node, from);
    if (resolved.node === undefined) return undefined; // no-unresolved-refs reports it
    return deref(ctx, resolved.node, resolved.location?.source.absoluteRef ?? from, depth + 1);
  }
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = deref(ctx, v, from, depth + 1);
  return out;
}

/** The operation with its path-level parameters merged in, every $ref resolved. */
function resolvedOperation(operation, ctx, parents) {
  const from = ctx.location.source.absoluteRef;
  const op = deref(ctx, operation, from);
  const pathParams = deref(ctx, parents?.PathItem?.parameters ?? [], from) ?? [];
  const own = new Set((op.parameters ?? []).map((p) => `${p.in}:${p.name}`));
  op.parameters = [...(op.parameters ?? []), ...pathParams.filter((p) => !own.has(`${p.in}:${p.name}`))];
  return op;
}

/** `in:name` of the parameters the operation shares: those it takes by $ref, and the path item's. */
function sharedParameters(operation, ctx, parents) {
  const from = ctx.location.source.absoluteRef;
  const inline = new Set();
  const shared = new Set();
  for (const raw of operation.parameters ?? []) {
    const p = deref(ctx, raw, from);
    if (p) (typeof raw?.$ref === 'string' ? shared : inline).add(`${p.in}:${p.name}`);
  }
  for (const p of deref(ctx, parents?.PathItem?.parameters ?? [], from) ?? []) {
    if (p && !inline.has(`${p.in}:${p.name}`)) shared.add(`${p.in}:${p.name}`);
  }
  return shared;
}

function responseExamples(op) {
  const found = [];
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    for (const [mediaType, media] of Object.entries(response?.content ?? {})) {
      for (const [key, example] of Object.entries(media?.examples ?? {})) {
        found.push({ key, status, mediaType, example, schema: media.schema });
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
  const ajv = makeAjv();
  const compiled = new Map();
  const validatorFor = (schema) => {
    const key = JSON.stringify(schema);
    if (!compiled.has(key)) compiled.set(key, ajv.compile(schema));
    return compiled.get(key);
  };
  const check = (report, where, example, schema) => {
    if (!schema || !example || !('value' in example)) return;
    const validate = validatorFor(schema);
    const ok = validate(example.value);
    if (example['x-invalid'] === true) {
      if (ok) report(`${where} is marked x-invalid but its value is valid; a rejected-request example must break the schema`);
    } else if (!ok) {
      const e = validate.errors?.[0];
      report(`${where} does not match its schema: ${e?.instancePath || '(root)'} ${e?.message}`);
    }
  };
  return {
    // nested under PathItem, so `parents.PathItem` holds the path's own parameters
    PathItem: {
      Operation: {
        enter(operation, ctx, parents) {
          const op = resolvedOperation(operation, ctx, parents);
          const name = op.operationId ?? '(operation)';
          const report = (message) => ctx.report({ message: `${name}: ${message}`, location: ctx.location });
          for (const p of op.parameters ?? []) {
            for (const [key, ex] of Object.entries(p.examples ?? {})) check(report, `${p.in} parameter "${p.name}" example "${key}"`, ex, p.schema);
          }
          for (const [mediaType, media] of Object.entries(op.requestBody?.content ?? {})) {
            for (const [key, ex] of Object.entries(media?.examples ?? {})) check(report, `request body ${mediaType} example "${key}"`, ex, media.schema);
          }
          for (const r of responseExamples(op)) check(report, `response ${r.status} ${r.mediaType} example "${r.key}"`, r.example, r.schema);
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
