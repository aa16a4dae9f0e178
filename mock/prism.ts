// prism-http, used in-process: one instance, a logger that does nothing (prism's own logging costs
// more than the mocking), and a way to drop the schemas prism compiled for a spec we reloaded away from.
import { createRequire } from 'node:module';
import './lazy-faker.ts';
import { createInstance, type IHttpConfig, type IHttpRequest, type IHttpResponse } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';

const requireFromPrism = createRequire(createRequire(import.meta.url).resolve('@stoplight/prism-http'));

// prism compiles each schema with module-level ajv instances whose cache and code scope hold every
// schema object ever compiled: after a reload those are garbage only ajv still points at (Prism's
// own reload leak). We remember the instances that compiled something and empty both after a reload.
interface AjvLike {
  removeSchema(): void;
  scope: { _prefixes?: Set<string> };
  opts: { code: { es5?: boolean; lines?: boolean } };
}
const ajvCore = requireFromPrism('ajv/dist/core') as { default: { prototype: { compile: (...args: unknown[]) => unknown } } };
const { ValueScope } = requireFromPrism('ajv/dist/compile/codegen') as { ValueScope: new (o: Record<string, unknown>) => AjvLike['scope'] };
const compilers = new Set<AjvLike>();
const originalCompile = ajvCore.default.prototype.compile;
if (!(originalCompile as { __mockTracked?: boolean }).__mockTracked) {
  const tracked = function (this: AjvLike, ...args: unknown[]) {
    compilers.add(this);
    return originalCompile.apply(this, args);
  };
  (tracked as { __mockTracked?: boolean }).__mockTracked = true;
  ajvCore.default.prototype.compile = tracked;
}

// Dynamic answers follow the schema: no invented extra properties on open objects.
const { JSONSchemaFaker } = requireFromPrism('json-schema-faker') as { JSONSchemaFaker: { option(o: Record<string, unknown>): void } };
JSONSchemaFaker.option({ fillProperties: false });

export function forgetCompiledSchemas(): void {
  for (const ajv of compilers) {
    ajv.removeSchema();
    // Functions compiled earlier keep the old scope through their closures; new ones start clean.
    ajv.scope = new ValueScope({ scope: {}, prefixes: ajv.scope._prefixes, es5: ajv.opts.code.es5, lines: ajv.opts.code.lines });
  }
}

const noop = (): void => {};
const silentLogger: Record<string, unknown> = { level: 'silent' };
for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'success', 'start', 'silent']) silentLogger[level] = noop;
silentLogger.child = () => silentLogger;

const baseConfig = {
  mock: { dynamic: false },
  checkSecurity: true,
  validateRequest: true,
  validateResponse: false,
  errors: false,
  upstreamProxy: undefined,
  isProxy: false,
} as const;

export interface MockConfig {
  code?: number;
  exampleKey?: string;
  dynamic: boolean;
  seed?: string;
}

export type PrismAnswer =
  | { ok: true; output: IHttpResponse; violations: string[] }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

const prism = createInstance(baseConfig as unknown as IHttpConfig, { logger: silentLogger as never });

export async function askPrism(request: IHttpRequest, operations: IHttpOperation[], mock: MockConfig): Promise<PrismAnswer> {
  const mockConfig: Record<string, unknown> = { dynamic: mock.dynamic };
  if (mock.code !== undefined) mockConfig.code = mock.code;
  if (mock.exampleKey !== undefined) mockConfig.exampleKey = mock.exampleKey;
  if (mock.seed !== undefined) mockConfig.seed = mock.seed;
  const result = await prism.request(request, operations, { ...baseConfig, mock: mockConfig } as unknown as IHttpConfig)();
  if (result._tag === 'Right') {
    const violations = result.right.validations.input.filter((v) => v.severity === 0).map((v) => v.message);
    return { ok: true, output: result.right.output, violations };
  }
  const error = result.left as Error & { status?: number; detail?: string; additional?: { headers?: Record<string, string> } };
  return { ok: false, status: error.status ?? 500, message: error.detail ?? error.message, headers: error.additional?.headers };
}
