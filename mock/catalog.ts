// /__mock (HTML) and /__mock.json: what this mock serves, so a frontend developer can pick
// `Prefer: example=<key>` values without opening the spec.
import type { SpecModel } from './model.ts';
import type { Resource } from './state.ts';

export interface CatalogInput {
  specPath: string;
  files: string[];
  model: SpecModel;
  resources?: Resource[];
  loadedAt: Date;
  lastReloadError?: string;
}

export function catalogJson(input: CatalogInput): unknown {
  return {
    title: input.model.title,
    version: input.model.version,
    spec: input.specPath,
    files: input.files,
    loadedAt: input.loadedAt.toISOString(),
    lastReloadError: input.lastReloadError ?? null,
    callerRoles: input.model.roles,
    stateful: input.resources
      ? input.resources.map((r) => ({ collection: r.collection, item: r.item, idField: r.idField, listPath: r.listPath ?? null, seeded: r.seed.length }))
      : null,
    operations: input.model.operations.map((op) => ({
      operationId: op.id,
      method: op.method.toUpperCase(),
      path: op.path,
      summary: op.summary ?? null,
      secured: op.secured,
      defaultCaller: op.defaultCaller,
      defaultExample: op.defaultSuccess?.key ?? null,
      requestExamples: op.cases.map((c) => ({ key: c.key, status: c.status, caller: c.caller, matches: c.constraints.map((k) => (k.part === 'body' || k.part === 'body-absent' ? k.part : `${k.part} ${k.name}`)) })),
      examples: op.examples.map((ex) => ({ key: ex.key, status: ex.status, mediaType: ex.mediaType, summary: ex.summary ?? null, ...ex.ext })),
    })),
  };
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function catalogHtml(input: CatalogInput): string {
  const rows = input.model.operations
    .map((op) => {
      const examples = op.examples
        .map((ex) => `<li><code>${ex.status}</code> <code>example=${esc(ex.key)}</code>${ex.summary ? ` ${esc(ex.summary)}` : ''}${ex.key === op.defaultSuccess?.key && ex.status === op.defaultSuccess.status ? ' <em>(default)</em>' : ''}</li>`)
        .join('');
      return `<tr><td><b>${op.method.toUpperCase()}</b></td><td><code>${esc(op.path)}</code><br><small>${esc(op.id)}${op.summary ? ` – ${esc(op.summary)}` : ''}${op.secured ? ' 🔒' : ''}</small></td><td><ul>${examples}</ul></td></tr>`;
    })
    .join('\n');
  const resources = input.resources
    ? `<h2>Stateful collections</h2><ul>${input.resources.map((r) => `<li><code>${esc(r.collection)}</code> → <code>${esc(r.item)}</code> (id field <code>${esc(r.idField)}</code>, ${r.seed.length} seeded)</li>`).join('')}</ul>`
    : '';
  const warning = input.lastReloadError ? `<p style="color:#b00"><b>Last reload failed</b>, still serving the last good spec:<pre>${esc(input.lastReloadError)}</pre></p>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Mock: ${esc(input.model.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td{border-top:1px solid #ddd;padding:.4em .8em;vertical-align:top}ul{margin:0;padding-left:1.2em}</style></head>
<body><h1>${esc(input.model.title)} <small>${esc(input.model.version)}</small></h1>
<p>Spec <code>${esc(input.specPath)}</code> (${input.files.length} files), loaded ${esc(input.loadedAt.toISOString())}. JSON: <a href="/__mock.json">/__mock.json</a>.</p>
<p>Caller roles (<code>x-caller-roles</code>): ${input.model.roles.map((r) => `<code>${esc(r)}</code>`).join(', ')}; the first is the caller of a request with credentials no <code>--token</code>/<code>--basic</code>/<code>--header</code> names.</p>
<p>Ask for an answer with <code>Prefer: example=&lt;key&gt;</code>, <code>Prefer: code=&lt;status&gt;</code>, <code>Prefer: dynamic=true, seed=1</code>, <code>Prefer: delay=&lt;ms&gt;</code>.</p>
${warning}${resources}
<table>${rows}</table></body></html>`;
}
