// The floors: bare Express 5, and bare Node's http server under it, answering each benchmarked request
// with the exact bytes the reference server gave for it, looked up in a Map. No validation, no domain
// work, no serialisation.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express, { type Express } from 'express';

export interface BenchRequest {
  /** Short label for the table. */
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RecordedAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

const keyOf = (method: string, url: string, authorization: string | undefined) => `${method} ${url} ${authorization ?? ''}`;

/** Asks a running reference server once for every request, to serve its answers later. */
export async function recordAnswers(baseUrl: string, requests: readonly BenchRequest[]): Promise<Map<string, RecordedAnswer>> {
  const answers = new Map<string, RecordedAnswer>();
  for (const request of requests) {
    const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
    answers.set(keyOf(request.method, request.path, request.headers?.authorization), {
      status: response.status,
      contentType: response.headers.get('content-type') ?? 'application/json; charset=utf-8',
      body: Buffer.from(await response.arrayBuffer()),
    });
  }
  return answers;
}

/** Bare Express 5 with the JSON body parser (a POST still pays for parsing) and a Map lookup. */
export function createBaselineApp(answers: ReadonlyMap<string, RecordedAnswer>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json({ limit: '1mb' }));
  app.use((req, res) => {
    const answer = answers.get(keyOf(req.method, req.originalUrl, req.headers.authorization));
    if (!answer) {
      res.status(404).json({ statusCode: 404, error: 'Not Found', message: 'not recorded' });
      return;
    }
    res.status(answer.status).type(answer.contentType).send(answer.body);
  });
  return app;
}

/**
 * Bare Node (node:http, no framework): the floor under every server of this machine. A POST's body is
 * read (not parsed), as every server must before it answers on a kept-alive connection.
 */
export function createNodeBaseline(answers: ReadonlyMap<string, RecordedAnswer>): { listen(port: number, host: string, callback: () => void): Server } {
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const found = answers.get(keyOf(req.method ?? '', req.url ?? '', req.headers.authorization));
    res.statusCode = found ? found.status : 404;
    res.setHeader('Content-Type', found ? found.contentType : 'application/json; charset=utf-8');
    const body = found ? found.body : Buffer.from('{"statusCode":404,"error":"Not Found","message":"not recorded"}');
    res.setHeader('Content-Length', body.length);
    res.end(body);
  };
  const server = createServer((req, res) => {
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return answer(req, res);
    req.on('data', () => {}).once('end', () => answer(req, res));
  });
  return { listen: (port, host, callback) => server.listen(port, host, callback) };
}
