// Start-up: prism-http (and postman-collection under its spec reader) require @faker-js/faker, every
// locale, about 0.8 s of the mock's start, yet call it only for x-faker schemas in dynamic mode and
// for Postman collections. Put stand-ins in the require cache that load the real module on first
// use. Imported before prism-http (see prism.ts).
import Module, { createRequire } from 'node:module';
import path from 'node:path';

type CjsModule = InstanceType<typeof Module> & { load(file: string): void; loaded: boolean };

const cache = createRequire(import.meta.url).cache;

function loader(file: string): () => Record<string | symbol, unknown> {
  let real: Record<string | symbol, unknown> | undefined;
  return () => {
    if (!real) {
      const m = new Module(file) as CjsModule;
      m.filename = file;
      m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
      m.load(file);
      real = m.exports as Record<string | symbol, unknown>;
    }
    return real;
  };
}

function lazyObject(target: () => object): object {
  return new Proxy(
    {},
    {
      get: (_, prop) => Reflect.get(target(), prop),
      has: (_, prop) => Reflect.has(target(), prop),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, prop) => {
        const d = Reflect.getOwnPropertyDescriptor(target(), prop);
        return d ? { ...d, configurable: true } : undefined;
      },
    },
  );
}

function install(file: string, exports: unknown): void {
  if (cache[file]) return;
  const stub = new Module(file) as CjsModule;
  stub.filename = file;
  stub.exports = exports;
  stub.loaded = true;
  cache[file] = stub;
}

function resolveFrom(from: string, request: string): string | undefined {
  try {
    return createRequire(from).resolve(request);
  } catch {
    return undefined;
  }
}

const prismHttp = createRequire(import.meta.url).resolve('@stoplight/prism-http');

// faker 6 under prism-http: json-schema-faker takes `faker.default` at load time.
const faker6 = resolveFrom(prismHttp, '@faker-js/faker');
if (faker6) {
  const load = loader(faker6);
  const exports: Record<string, unknown> = {};
  Object.defineProperty(exports, '__esModule', { value: true });
  const instance = lazyObject(() => load().faker as object);
  for (const name of ['default', 'faker']) Object.defineProperty(exports, name, { enumerable: true, value: instance });
  for (const name of ['Faker', 'FakerError', 'Gender']) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
  install(faker6, exports);
}

// faker 5 under postman-collection: the module itself is the instance.
const postman = resolveFrom(prismHttp, '@stoplight/http-spec/postman/operation');
const postmanCollection = postman && resolveFrom(postman, 'postman-collection');
for (const request of ['@faker-js/faker', '@faker-js/faker/locale/en']) {
  const faker5 = postmanCollection && resolveFrom(postmanCollection, request);
  if (faker5 && faker5 !== faker6) install(faker5, lazyObject(loader(faker5)));
}
