// A response example read straight from a bundled spec (operationId, example key), `$ref`s followed:
// what a test expects, found without the model the handlers answer from.
type Obj = Record<string, unknown>;

export interface Example {
  status: number;
  mediaType: string;
  value: unknown;
}

export function exampleOf(spec: object, operationId: string, key: string): Example {
  const root = spec as Obj;
  const resolve = (node: unknown): unknown => {
    let current = node;
    while (isObj(current) && typeof current.$ref === 'string') {
      current = current.$ref
        .slice(2)
        .split('/')
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((at, part) => (isObj(at) ? at[part] : undefined), root);
    }
    return current;
  };
  for (const item of Object.values(root.paths as Obj)) {
    for (const op of Object.values(resolve(item) as Obj).map(resolve)) {
      if (!isObj(op) || op.operationId !== operationId) continue;
      for (const [status, response] of Object.entries(op.responses as Obj)) {
        const content = (resolve(response) as Obj).content;
        if (!isObj(content)) continue;
        for (const [mediaType, media] of Object.entries(content)) {
          const examples = (resolve(media) as Obj).examples;
          if (isObj(examples) && key in examples) return { status: Number(status), mediaType, value: (resolve(examples[key]) as Obj).value };
        }
      }
    }
  }
  throw new Error(`${operationId} has no response example ${key}`);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
