// The create form, checked the way FastAPI checks Form(...) and File(...) parameters: every problem
// is reported (not only the first), in parameter order, as pydantic v2 error items.
import type { components } from '../../../generated/chutes/schema.d.ts';
import { instructionsOf } from './build.ts';

/** One pydantic error item: the contract's ValidationError. */
export type ValidationItem = components['schemas']['ValidationError'];

export interface FormFile {
  field: string;
  filename: string;
  bytes: Buffer;
  /** More bytes were sent than the limit allows; `bytes` holds only the first part. */
  truncated: boolean;
}

export interface ParsedForm {
  fields: Map<string, string>;
  files: FormFile[];
}

/** The checked form: the contract's CreateImageForm with the build context as the file that was read. */
export type CreateForm = Omit<components['schemas']['CreateImageForm'], 'build_context'> & { build_context: FormFile };

/** The contract's limit on Dockerfile instructions (spec/chutes/README.md decision 14). */
export const MAX_DOCKERFILE_INSTRUCTIONS = 1_000;

export interface FormLimits {
  /** Largest build context; more is a 422. */
  buildContextBytes: number;
  /** Most Dockerfile instructions (lines neither blank nor comments); more is a 422. */
  dockerfileInstructions: number;
}

/** What the create form is checked against: the contract's patterns per field, and the limits. */
export interface FormRules extends FormLimits {
  /** Field name -> the `pattern` the contract's CreateImageForm gives it (read from the bundle, never copied). */
  patterns: Readonly<Record<string, string>>;
}

const TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** A zip archive: starts with a local file header (or is the empty archive) and has an end-of-central-directory record. */
function isZip(bytes: Buffer): boolean {
  if (bytes.length < 22) return false;
  const head = bytes.readUInt32LE(0);
  if (head !== 0x04034b50 && head !== 0x06054b50) return false;
  const from = Math.max(0, bytes.length - 22 - 0xffff);
  return bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]), bytes.length - 22) >= from;
}

const missing = (field: string): ValidationItem => ({ type: 'missing', loc: ['body', field], msg: 'Field required', input: null });

export function checkCreateForm(form: ParsedForm, rules: FormRules): CreateForm | ValidationItem[] {
  const problems: ValidationItem[] = [];
  const text = (field: string): string => {
    const pattern = rules.patterns[field];
    const value = form.fields.get(field);
    if (value === undefined) {
      problems.push(form.files.some((f) => f.field === field) ? { type: 'string_type', loc: ['body', field], msg: 'Input should be a valid string', input: null } : missing(field));
      return '';
    }
    if (pattern !== undefined && !new RegExp(pattern).test(value)) {
      problems.push({ type: 'string_pattern_mismatch', loc: ['body', field], msg: `String should match pattern '${pattern}'`, input: value, ctx: { pattern } });
    }
    return value;
  };
  const bool = (field: string): boolean => {
    const value = form.fields.get(field);
    if (value === undefined) {
      problems.push(missing(field));
      return false;
    }
    const v = value.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (!FALSE.has(v)) problems.push({ type: 'bool_parsing', loc: ['body', field], msg: 'Input should be a valid boolean, unable to interpret input', input: value });
    return false;
  };
  const file = (field: string): FormFile | undefined => {
    const found = form.files.filter((f) => f.field === field).at(-1);
    const loc = ['body', field];
    if (!found) {
      const sentAsText = form.fields.get(field);
      problems.push(sentAsText === undefined ? missing(field) : { type: 'value_error', loc, msg: "Value error, Expected UploadFile, received: <class 'str'>", input: sentAsText });
    } else if (found.truncated) {
      problems.push({ type: 'value_error', loc, msg: `Value error, build_context is larger than ${rules.buildContextBytes} bytes`, input: found.filename });
    } else if (!isZip(found.bytes)) {
      problems.push({ type: 'value_error', loc, msg: 'Value error, build_context is not a zip archive', input: found.filename });
    }
    return found;
  };
  // FastAPI reports in the order the parameters are declared
  const wait = bool('wait');
  const build_context = file('build_context');
  const username = text('username');
  const name = text('name');
  const readme = text('readme');
  const logo_id = text('logo_id');
  const tag = text('tag');
  const dockerfile = text('dockerfile');
  const instructions = instructionsOf(dockerfile).length;
  if (instructions > rules.dockerfileInstructions) {
    // the Dockerfile (up to 1 MiB) is not echoed back: the input is the count the rule judged
    problems.push({ type: 'value_error', loc: ['body', 'dockerfile'], msg: `Value error, dockerfile has ${instructions} instructions, more than ${rules.dockerfileInstructions}`, input: instructions });
  }
  const image = text('image');
  const isPublic = bool('public');
  if (problems.length > 0 || !build_context) return problems;
  return { wait, build_context, username, name, readme, logo_id, tag, dockerfile, image, public: isPublic };
}
