// The validating proxy: every request goes on to the upstream unchanged and every answer comes back
// unchanged (streams as they arrive), while both are judged with the conformance suite's own checks.
// A body is held back only up to `maxBodyBytes` so that its verdict can travel in a response header;
// a stream, or a body past the bound, is passed on at once and judged on what passed (its first bytes).
import http from 'node:http';
import https from 'node:https';
import { CHECKS } from '../../conformance/checks/index.ts';
import { failed, skipped } from '../../conformance/checks/check.ts';
import { authRefusals } from '../../conformance/checks/demands.ts';
import { isJsonMediaType } from '../../conformance/loader/responses.ts';
import type { CheckName, CheckOutcome, OperationSpec, ReceivedResponse, RequestViolation, SpecModel, TestCase } from '../../conformance/model.ts';
import { SchemaValidator } from '../../conformance/schema.ts';
import { parseStream, streamKind, type StreamKind } from '../../conformance/streams.ts';
import { createRouter, type Router } from '../router.ts';
import { maskUrl, secretHeaderNames, secretQueryNames } from './mask.ts';
import { checkRequest } from './request-check.ts';
import { TrafficRecord } from './record.ts';

export const VIOLATIONS_HEADER = 'x-contract-violations';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The checks every answer to a documented operation gets, as the suite gives them to an example's answer. */
const ANSWER_CHECKS: CheckName[] = ['request_conformance', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance', 'response_headers_conformance'];

// Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection, not to the message.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

export interface ProxyLogger {
  info(line: string): void;
  error(line: string): void;
}

export interface ProxyOptions {
  spec: SpecModel;
  /** Where requests go: `http://host:port[/prefix]`; the request's path is appended. */
  upstream: string;
  /** The most bytes of one body (request or answer) held and judged; the rest passes unjudged. */
  maxBodyBytes?: number;
  logger?: ProxyLogger;
  /** Log only the requests with violations (and errors). */
  quiet?: boolean;
  /** How many check results the report lists (failures always count); default 20000. */
  maxListedResults?: number;
}

export interface ValidatingProxy {
  handle(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Requests judged and violations found so far. */
  stats(): { requests: number; violations: number };
  /** The traffic so far as a conformance run report (masked by the reporters). */
  report(): ReturnType<TrafficRecord['report']>;
  /** Lets go of the upstream connections. */
  close(): void;
}

interface Judged {
  testCase: TestCase;
  operation: OperationSpec | null;
}

export function createProxy(opts: ProxyOptions): ValidatingProxy {
  const upstream = new URL(opts.upstream);
  const prefix = upstream.pathname.replace(/\/$/, '');
  const transport = upstream.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 256 });
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logger = opts.logger ?? { info: (l) => process.stdout.write(`${l}\n`), error: (l) => process.stderr.write(`${l}\n`) };
  const validator = new SchemaValidator();
  const router: Router<OperationSpec> = createRouter(opts.spec.operations);
  const record = new TrafficRecord(opts.spec, upstream.toString().replace(/\/$/, ''), opts.maxListedResults ?? 20_000);
  const secretHeaders = secretHeaderNames(opts.spec);
  const secretQuery = secretQueryNames(opts.spec);
  let counter = 0;

  function route(method: string, pathname: string) {
    const direct = router.match(method, pathname);
    const base = opts.spec.serverBasePath;
    // The spec's paths may be served under its server path (/api/v3/pets for /pets).
    if (direct.kind === 'not-found' && base && pathname.startsWith(`${base}/`)) return router.match(method, pathname.slice(base.length));
    return direct;
  }

  /** What the request is, which checks its answer gets, and where it broke the contract. */
  function planFor(req: http.IncomingMessage, url: URL, body: { bytes: Buffer; cut: boolean } | undefined): Judged {
    const method = (req.method ?? 'GET').toLowerCase();
    const n = ++counter;
    const label = `#${n} ${method.toUpperCase()} ${maskUrl(`${url.pathname}${url.search}`, secretQuery)}`;
    const found = route(method, url.pathname);
    const base = { kind: 'traffic' as const, label, request: { method: method as TestCase['request']['method'], pathTemplate: url.pathname, pathParams: {}, query: [], headers: {}, caller: 'traffic' } };
    if (found.kind === 'not-found') {
      const violation: RequestViolation = { where: 'path', expected: 'a path the spec documents', got: `${method.toUpperCase()} ${url.pathname}` };
      return { operation: null, testCase: { ...base, name: `(undocumented) > ${label}`, tag: '(undocumented)', operationId: '(none)', operation: null, checks: ['request_conformance'], requestViolations: [violation] } };
    }
    if (found.kind === 'method-not-allowed') {
      // As the suite's probe asks: Allow names the methods of the template the server routes the URL to.
      const allowed = (opts.spec.pathMethods.get(found.template) ?? []).map((m) => m.toUpperCase());
      const violation: RequestViolation = { where: 'method', expected: `one of the documented methods ${found.allow.join(', ')}`, got: method.toUpperCase() };
      return {
        operation: null,
        testCase: {
          ...base,
          name: `(undocumented) > ${label}`,
          tag: '(undocumented)',
          operationId: '(none)',
          operation: null,
          checks: ['request_conformance', 'unsupported_method'],
          allowedMethods: allowed,
          mutation: `the undocumented method ${method.toUpperCase()}`,
          requestViolations: [violation],
        },
      };
    }
    const op = found.op;
    const verdict = checkRequest(op, { pathParams: found.params, query: url.searchParams, headers: req.headers, body }, validator);
    const checks = [...ANSWER_CHECKS];
    // A request that breaks the contract must be refused, as the suite's own probes demand.
    if (verdict.credentials) checks.push('missing_auth');
    else if (verdict.violations.length > 0) checks.push('negative_data_rejection');
    return {
      operation: op,
      testCase: {
        ...base,
        name: `${op.tag} > ${op.operationId} > ${label}`,
        tag: op.tag,
        operationId: op.operationId,
        operation: op,
        checks,
        mutation: verdict.credentials ?? verdict.violations.map((v) => `${v.where}: ${v.got}`).join('; '),
        requestViolations: verdict.violations,
      },
    };
  }

  function judge(planned: TestCase, response: ReceivedResponse, bodyNote: string | undefined, only?: (c: CheckName) => boolean): { check: CheckName; outcome: CheckOutcome }[] {
    const testCase = withRefusal(planned, response.status);
    return testCase.checks
      .filter((c) => !only || only(c))
      .map((check) => {
        if (check === 'response_schema_conformance' && bodyNote) return { check, outcome: skipped(bodyNote) };
        try {
          return { check, outcome: CHECKS[check].run({ testCase, response, validator, options: {} }) };
        } catch (err) {
          return { check, outcome: failed('a check that runs', `the check itself failed: ${err instanceof Error ? err.message : err}`) };
        }
      });
  }

  /**
   * Credentials the proxy cannot tell from good ones (a well-formed unknown token) refused with a 401
   * or 403: the refusal missing_auth asks for, judged as the suite judges its own (checks/demands.ts).
   */
  function withRefusal(testCase: TestCase, status: number): TestCase {
    const op = testCase.operation;
    if (!op?.secured || testCase.checks.includes('missing_auth') || !authRefusals(op).statuses.includes(status)) return testCase;
    const checks = testCase.checks.filter((c) => c !== 'negative_data_rejection');
    return { ...testCase, checks: [...checks, 'missing_auth'], mutation: 'credentials the upstream refused' };
  }

  function violationHeader(results: { check: CheckName; outcome: CheckOutcome }[]): string | undefined {
    const bad = results.filter((r) => r.outcome.status === 'failed');
    return bad.length === 0 ? undefined : `${bad.length}; ${[...new Set(bad.map((r) => r.check))].join(', ')}`;
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    const method = req.method ?? 'GET';
    // A CORS preflight is the browser's, not the client's: passed on, not judged.
    const preflight = method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;

    const requestBody: Buffer[] = [];
    let requestBytes = 0;
    let requestCut = false;
    req.on('data', (chunk: Buffer) => {
      if (requestBytes + chunk.length <= maxBody) requestBody.push(chunk);
      else requestCut = true;
      requestBytes += chunk.length;
    });

    const headers: http.OutgoingHttpHeaders = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || lower === 'host') continue;
      const prev = headers[name];
      headers[name] = prev === undefined ? req.rawHeaders[i + 1]! : [...(Array.isArray(prev) ? prev : [String(prev)]), req.rawHeaders[i + 1]!];
    }
    headers.host = upstream.host;
    const upReq = transport.request({
      protocol: upstream.protocol,
      hostname: upstream.hostname,
      port: upstream.port,
      path: `${prefix}${req.url ?? '/'}`,
      method,
      headers,
      agent,
    });
    req.pipe(upReq);
    // A reset on either side ends the exchange through 'close' (below); an unheard 'error' would crash the proxy.
    req.on('error', () => upReq.destroy());
    res.on('error', () => upReq.destroy());
    // The client gone before the answer ended: the upstream exchange ends with it.
    res.on('close', () => {
      if (!res.writableFinished) upReq.destroy();
    });

    let plan: Judged | undefined;
    const planOnce = () =>
      (plan ??= planFor(req, url, requestBytes > 0 ? { bytes: Buffer.concat(requestBody), cut: requestCut } : undefined));

    upReq.on('error', (err) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const reason = (err as NodeJS.ErrnoException).code ?? err.message;
      logger.error(`proxy: ${method} ${maskUrl(`${url.pathname}${url.search}`, secretQuery)} -> upstream ${upstream.origin} failed (${reason})`);
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`proxy: the upstream ${upstream.origin} did not answer (${reason})\n`);
    });

    upReq.on('response', (up) => {
      const outHeaders: Record<string, string[]> = {};
      const seenHeaders: Record<string, string> = {};
      for (let i = 0; i < up.rawHeaders.length; i += 2) {
        const name = up.rawHeaders[i]!;
        const value = up.rawHeaders[i + 1]!;
        const lower = name.toLowerCase();
        seenHeaders[lower] = seenHeaders[lower] === undefined ? value : `${seenHeaders[lower]}, ${value}`;
        if (!HOP_BY_HOP.has(lower)) (outHeaders[name] ??= []).push(value);
      }
      const status = up.statusCode ?? 502;
      const contentType = seenHeaders['content-type'] ?? '';
      const kind = streamKind(contentType);
      const declared = Number(seenHeaders['content-length'] ?? NaN);
      const chunks: Buffer[] = [];
      let kept = 0;
      let total = 0;
      let passing = false;
      let over = false;
      let ended = false;

      const response = (withBody: boolean): ReceivedResponse => {
        const text = withBody && !over ? Buffer.concat(chunks).toString('utf8') : '';
        const out: ReceivedResponse = { status, headers: seenHeaders, contentType, text, durationMs: performance.now() - started };
        if (!withBody) return out;
        if (kind) out.stream = streamOf(kind, Buffer.concat(chunks).toString('utf8'), over || !ended, plan?.operation);
        else if (!over && isJsonMediaType(contentType) && text.length > 0) {
          try {
            out.json = JSON.parse(text);
          } catch (err) {
            out.jsonError = err instanceof Error ? err.message : String(err);
          }
        }
        return out;
      };
      const bodyNote = () => (over && !kind ? `a body over ${maxBody} bytes (--max-body-bytes): not validated` : undefined);

      // Headers out now, with what is known before the body: the request and the status, type and headers.
      const startPassing = () => {
        passing = true;
        if (!preflight) {
          const early = judge(planOnce().testCase, response(false), undefined, (c) => c !== 'response_schema_conformance');
          const header = violationHeader(early);
          if (header) outHeaders[VIOLATIONS_HEADER] = [header];
        }
        res.writeHead(status, up.statusMessage, outHeaders);
        if (typeof res.flushHeaders === 'function') res.flushHeaders();
      };
      const forward = (chunk: Buffer) => {
        if (!res.write(chunk)) {
          up.pause();
          res.once('drain', () => up.resume());
        }
      };

      if (kind || declared > maxBody) startPassing();
      up.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (!over) {
          if (kept + chunk.length <= maxBody) {
            chunks.push(chunk);
            kept += chunk.length;
          } else {
            over = true;
            if (kind) {
              chunks.push(chunk.subarray(0, maxBody - kept)); // a stream is judged on its first bytes
              kept = maxBody;
            }
          }
        }
        if (passing) forward(chunk);
        else if (over) {
          startPassing();
          for (const c of chunks) forward(c);
          forward(chunk);
          chunks.length = 0;
        }
      });

      let done = false;
      /** `verdict`: the judgement already made for the header of a held body, not made twice. */
      const finish = (how: 'ended' | 'cut', verdict?: { answer: ReceivedResponse; results: ReturnType<typeof judge> }) => {
        if (done || preflight) return;
        done = true;
        const judged = planOnce();
        const answer = verdict?.answer ?? response(true);
        const results = verdict?.results ?? judge(judged.testCase, answer, bodyNote());
        const note = how === 'cut' ? `the answer cut after ${total} bytes` : over ? (kind ? `stream judged on its first ${maxBody} bytes` : bodyNote()) : undefined;
        record.add(judged.testCase, results, {
          method: method.toUpperCase(),
          url: maskUrl(`${upstream.origin}${prefix}${url.pathname}${url.search}`, secretQuery),
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])),
          secretHeaders,
        }, status, answer.durationMs);
        const bad = results.filter((r) => r.outcome.status === 'failed');
        const line =
          `${judged.testCase.label.replace(/^#\d+ /, '')} ${status} ` +
          (bad.length === 0 ? 'ok' : `${bad.length} violation${bad.length === 1 ? '' : 's'}: ${bad.map((r) => `${r.check} (${r.outcome.message})`).join('; ')}`) +
          `${note ? ` [${note}]` : ''} ${(performance.now() - started).toFixed(1)}ms`;
        if (bad.length > 0) logger.error(`proxy: ${line}`);
        else if (!opts.quiet) logger.info(`proxy: ${line}`);
      };

      up.on('end', () => {
        ended = true;
        if (passing) res.end();
        else {
          const body = Buffer.concat(chunks);
          let verdict: Parameters<typeof finish>[1];
          if (!preflight) {
            const answer = response(true);
            verdict = { answer, results: judge(planOnce().testCase, answer, undefined) };
            const header = violationHeader(verdict.results);
            if (header) outHeaders[VIOLATIONS_HEADER] = [header];
          }
          res.writeHead(status, up.statusMessage, outHeaders);
          res.end(body);
          finish('ended', verdict);
          return;
        }
        finish('ended');
      });
      up.on('error', () => undefined); // reported by 'close' as a cut answer
      up.on('close', () => {
        if (ended) return;
        res.destroy(); // the upstream broke off: so does the answer, as it would without the proxy
        finish('cut');
      });
      // The client left mid-stream (a reader that had enough): judge what passed.
      res.on('close', () => {
        if (!ended) {
          up.destroy();
          finish('cut');
        }
      });
    });
  }

  /** The items of a streamed answer that passed, the last one dropped when it was cut in half. */
  function streamOf(kind: StreamKind, text: string, cut: boolean, op: OperationSpec | null | undefined) {
    const markers = (op?.responses ?? []).flatMap((r) => r.content.flatMap((c) => (c.streamEnd ? [c.streamEnd] : [])));
    let whole = text;
    if (cut) {
      const boundary = kind === 'lines' ? text.lastIndexOf('\n') : Math.max(text.lastIndexOf('\n\n'), text.lastIndexOf('\r\n\r\n'));
      whole = boundary < 0 ? '' : text.slice(0, boundary + 1);
    }
    const parsed = parseStream(kind, whole, markers);
    return { kind, items: parsed.items, truncated: cut && !parsed.ended, ended: parsed.ended };
  }

  return {
    handle,
    stats: () => record.stats(),
    report: () => record.report(),
    close: () => agent.destroy(),
  };
}
