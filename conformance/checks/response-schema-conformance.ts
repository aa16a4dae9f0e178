import { documentedMediaType, documentedResponse, isJsonMediaType } from '../loader/responses.ts';
import type { CheckOutcome, Schema } from '../model.ts';
import { type SchemaValidator, schemaView } from '../schema.ts';
import { itemName, itemSchemaOf } from '../streams.ts';
import { demandedButUndocumented } from './demands.ts';
import { type Check, bodyCut, failed, passed, show, skipped } from './check.ts';

export const responseSchemaConformance: Check = {
  name: 'response_schema_conformance',
  run: ({ testCase, response, validator }) => {
    const demanded = demandedButUndocumented(testCase, response.status);
    if (demanded) return skipped(demanded);
    const documented = testCase.operation && documentedResponse(testCase.operation, response.status);
    if (!documented) return skipped(`status ${response.status} is not documented`);
    const mt = documentedMediaType(documented, response.contentType);
    if (!mt) return skipped('no schema documented for this status and content type');
    const cut = bodyCut(response);
    if (cut) return cut;
    const stream = response.stream;
    if (stream) {
      // Each line (or event's data) against the schema of one item.
      const schema = itemSchemaOf(mt, stream.kind);
      if (schema === undefined) return mt.schema ? judge(validator, mt.schema, response.text, '') : skipped('no schema documented for one item of the stream');
      const name = itemName(stream.kind);
      for (const [i, item] of stream.items.entries()) {
        if (item.error !== undefined) return failed(`every ${name} to be JSON`, `unparsable JSON (${item.error})`, `/${i}`);
        const outcome = judge(validator, schema, item.value, `/${i}`, `every ${name}`);
        if (outcome.status === 'failed') return outcome;
      }
      return passed;
    }
    if (!mt.schema) return skipped('no schema documented for this status and content type');
    if (!isJsonMediaType(response.contentType)) {
      // A text answer is a string: only a string schema (length, pattern) can judge it.
      return isStringSchema(mt.schema) ? judge(validator, mt.schema, response.text, '') : skipped(`${response.contentType} is not JSON`);
    }
    if (response.jsonError) return failed('a JSON body', `unparsable JSON (${response.jsonError})`);
    return judge(validator, mt.schema, response.json, '');
  },
};

function judge(validator: SchemaValidator, schema: Schema, value: unknown, prefix: string, subject = 'a body'): CheckOutcome {
  // An answer's view: a writeOnly property never comes back, so it is not required there.
  const violations = validator.violations(schemaView(schema, 'writeOnly'), value);
  if (violations.length === 0) return passed;
  const first = violations[0]!;
  const at = (p: string) => `${prefix}${p === '/' && prefix ? '' : p}`;
  const more = violations.length > 1 ? ` (+${violations.length - 1} more: ${violations.slice(1, 4).map((v) => at(v.pointer)).join(', ')})` : '';
  return failed(`${subject} valid against the schema (${first.message})`, `${show(first.got)}${more}`, at(first.pointer));
}

function isStringSchema(schema: Schema): boolean {
  return typeof schema === 'object' && (schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string')));
}
