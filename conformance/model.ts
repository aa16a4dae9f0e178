// The shapes shared by the loader, the runner, the checks and the reporters.

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A JSON Schema object from the (dereferenced) spec. */
export type Schema = Record<string, unknown> | boolean;

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema?: Schema;
  /** Named examples (key -> value): the ones that pair with a response example by name. */
  examples: Map<string, unknown>;
  /** A lone `example` value: sent as a fallback, never paired by name. */
  example?: { value: unknown };
}

export interface MediaTypeSpec {
  mediaType: string;
  schema?: Schema;
  /**
   * The schema of one item of a sequential media type (an NDJSON line, an event's data): OpenAPI
   * 3.2's `itemSchema`, or `x-item-schema` in a 3.1 document. See loader/streams.ts for the fallback.
   */
  itemSchema?: Schema;
  /** `x-stream-end`: the line (or event data) that ends a stream; it is not an item. */
  streamEnd?: string;
  /** Per form field: the `encoding` object's contentType (multipart and url-encoded bodies). */
  encoding: Record<string, { contentType?: string }>;
  examples: Map<string, ExampleSpec>;
}

export interface ExampleSpec {
  key: string;
  value: unknown;
  /** The raw example object, `x-` extensions included. */
  extensions: Record<string, unknown>;
  /** A lone `example` (keyed "default"): it pairs with no request by name. */
  single?: boolean;
}

export interface HeaderSpec {
  name: string;
  required: boolean;
  schema?: Schema;
}

export interface ResponseSpec {
  /** As written in the spec: "200", "4XX" or "default". */
  status: string;
  content: MediaTypeSpec[];
  headers: HeaderSpec[];
}

export interface SecurityRequirementSpec {
  /** Scheme name -> the scheme object. An empty list means "anonymous allowed". */
  schemes: { name: string; scheme: Record<string, unknown> }[];
}

export interface OperationSpec {
  operationId: string;
  method: HttpMethod;
  path: string;
  tag: string;
  parameters: ParameterSpec[];
  requestBody?: { required: boolean; content: MediaTypeSpec[] };
  responses: ResponseSpec[];
  security: SecurityRequirementSpec[];
  /** True when every security requirement needs credentials. */
  secured: boolean;
}

export interface SpecModel {
  /** The document's `openapi` version (3.0 schemas speak a dialect of their own). */
  openapi: string;
  title: string;
  version: string;
  /** Absolute path of the root file. */
  file: string;
  /** Path part of the first server URL ("" when none), e.g. "/v2". */
  serverBasePath: string;
  operations: OperationSpec[];
  /** Path template -> documented methods, in spec order. */
  pathMethods: Map<string, HttpMethod[]>;
  /** Every file the spec was bundled from. */
  files: string[];
  /** The caller roles (spec-conventions/roles.ts): the root's `x-caller-roles`, else owner and other. */
  roles: string[];
  /** Who sends a secured operation's request unless an example says otherwise: the first role. */
  defaultRole: string;
  /** Whether the spec follows this project's pairing convention (spec-conventions/pairing.ts). */
  projectConvention: boolean;
  /** Whether the spec declares `x-example-pairing: same-key`: pairing by key only, no fallback (spec-conventions/pairing.ts). */
  sameKey: boolean;
}

/** Who sends a request: a role name from the config, or `none` for no credentials. */
export type Caller = string;

/** How the credentials of a request are spoilt on purpose (missing_auth). */
export type AuthSpoiler = 'none' | 'malformed' | 'unknown';

export interface RequestPlan {
  method: HttpMethod;
  /** The path template, e.g. /notes/{noteId}. */
  pathTemplate: string;
  pathParams: Record<string, unknown>;
  query: [string, unknown][];
  headers: Record<string, string>;
  body?: { mediaType: string; value: unknown };
  caller: Caller;
  spoilAuth?: AuthSpoiler;
}

export type CheckName =
  | 'not_a_server_error'
  | 'status_code_conformance'
  | 'content_type_conformance'
  | 'response_schema_conformance'
  | 'response_headers_conformance'
  | 'example_match'
  | 'negative_data_rejection'
  | 'positive_data_acceptance'
  | 'missing_auth'
  | 'cross_user_access'
  | 'unsupported_method'
  | 'max_response_time'
  | 'success_criteria'
  | 'request_conformance';

/** `traffic`: a request someone else sent, seen by the validating proxy (mock/proxy/). */
export type CaseKind = 'example' | 'probe' | 'workflow' | 'traffic';

export interface ExampleExpectation {
  status: number;
  mediaType: string;
  value: unknown;
  match: 'exact' | 'fields' | 'schema';
  ignore: string[];
}

/** One request to send and the checks to run on its answer. */
export interface TestCase {
  kind: CaseKind;
  /** `Tag > operationId > label`; a result's name appends ` > check`. */
  name: string;
  tag: string;
  operationId: string;
  /** Null for a method the path does not document (unsupported_method). */
  operation: OperationSpec | null;
  /** Whose security requirements the credentials follow when `operation` is null. */
  securityFrom?: OperationSpec;
  label: string;
  request: RequestPlan;
  checks: CheckName[];
  /** Why the case is not sent; it is listed as skipped. */
  skip?: string;
  /** An error of the spec that makes the case unsendable (a pairing its own convention requires is missing): it fails, nothing is sent. */
  specError?: string;
  example?: ExampleExpectation;
  /** What a probe did to the request, for messages ("body.priority = 6 (above maximum 5)"). */
  mutation?: string;
  /** For unsupported_method: the methods the path documents, upper case. */
  allowedMethods?: string[];
  /** For workflows: extra facts the success_criteria check needs. */
  criteria?: CriterionOutcome[];
  /** For traffic: where the request broke the contract (request_conformance), one sentence each. */
  requestViolations?: RequestViolation[];
}

export interface RequestViolation {
  /** Where: `query.limit`, `path.id`, `header.x-trace`, `body/rating`, `security`, `method`, `path`. */
  where: string;
  expected: string;
  got: string;
}

export interface CriterionOutcome {
  condition: string;
  passed: boolean;
  got: string;
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body as text, for reports (a multipart body's file parts are summarised). */
  body?: string;
  /** The bytes actually sent, when they differ from `body` (multipart). */
  bytes?: Uint8Array;
  /** Headers that carry credentials (masked in reports). */
  secretHeaders?: string[];
}

/** One item of a streamed answer: an NDJSON / JSON-seq line or a server-sent event. */
export interface StreamItem {
  /** The parsed item: a line's JSON, or an event's data (its JSON when it parses, else the text). */
  value?: unknown;
  /** Why a line that must be JSON is not. */
  error?: string;
  /** For server-sent events: the event name, id and raw data text. */
  event?: { event: string; id?: string; data: string };
}

export interface ReceivedStream {
  kind: 'lines' | 'events';
  items: StreamItem[];
  /** True when reading stopped at a bound (time, bytes) before the server ended the body. */
  truncated: boolean;
  /** True when the documented end marker (`x-stream-end`) arrived. */
  ended?: boolean;
}

export interface ReceivedResponse {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  text: string;
  /** Parsed JSON when the body is JSON; undefined otherwise. */
  json?: unknown;
  jsonError?: string;
  /** For sequential media types (NDJSON, JSON-seq, event streams): the items read. */
  stream?: ReceivedStream;
  /** Set when the body was longer than the byte cap (`--max-response-bytes`): only this many bytes were read. */
  bodyCutAt?: number;
  durationMs: number;
}

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckOutcome {
  status: CheckStatus;
  /** One line: expected ..., got ... [at /pointer]. */
  message?: string;
  expected?: string;
  got?: string;
  pointer?: string;
}

export interface CheckResult extends CheckOutcome {
  /** Full name, `Tag > operationId > label > check`. */
  name: string;
  check: CheckName;
  kind: CaseKind;
  tag: string;
  operationId: string;
  label: string;
  request?: SentRequest;
  responseStatus?: number;
  durationMs?: number;
}
