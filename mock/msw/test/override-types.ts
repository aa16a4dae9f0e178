// Type tests: `npm run typecheck` compiles this file; nothing runs it. Each @ts-expect-error line must
// be an error, so an MSW override that answers a shape the spec does not document fails tsc.
import { HttpResponse, type HttpHandler } from 'msw';
import type { paths as images } from '../../../generated/images/schema.d.ts';
import type { paths as stackrox } from '../../../generated/stackrox/schema.d.ts';
import type { paths as chutes } from '../../../generated/chutes/schema.d.ts';
import { createTypedHttp } from '../index.ts';

const rated = { new_rating: 4, average_rating: 4.2, rating_count: 7 };

export const imagesOverrides: HttpHandler[] = [
  createTypedHttp<images>({ baseUrl: 'http://api.test' }).post('/api/v1/images/rate/{id}', async ({ params, request, response }) => {
    const id: string = params.id;
    const { rating }: { rating: number } = await request.json();
    if (rating > 5) return response(400).json({ statusCode: 400, error: 'Bad Request', message: `rating ${rating} of ${id}` });
    return response(200).json({ statusCode: 200, message: 'ok', data: rated });
  }),
  createTypedHttp<images>().post('/api/v1/images/rate/{id}', ({ response }) =>
    // @ts-expect-error the rating result has no `stars` field
    response(200).json({ statusCode: 200, message: 'ok', data: { ...rated, stars: 5 } }),
  ),
  createTypedHttp<images>().post('/api/v1/images/rate/{id}', ({ response }) =>
    // @ts-expect-error rating_count is a number, not text
    response(200).json({ statusCode: 200, message: 'ok', data: { ...rated, rating_count: '7' } }),
  ),
  createTypedHttp<images>().post('/api/v1/images/rate/{id}', ({ response }) =>
    // @ts-expect-error the envelope's message is required
    response(200).json({ statusCode: 200, data: rated }),
  ),
  createTypedHttp<images>().post('/api/v1/images/rate/{id}', ({ response }) =>
    // @ts-expect-error a 400 answers the error body, not the success envelope
    response(400).json({ statusCode: 200, message: 'ok', data: rated }),
  ),
  // @ts-expect-error rateImage documents no 201
  createTypedHttp<images>().post('/api/v1/images/rate/{id}', ({ response }) => response(201).json({ statusCode: 201, message: 'ok', data: rated })),
  // @ts-expect-error the spec has no GET on the rating path
  createTypedHttp<images>().get('/api/v1/images/rate/{id}', ({ response }) => response(200).empty()),
  // @ts-expect-error the spec has no such path
  createTypedHttp<images>().get('/api/v1/images/everything', ({ response }) => response(200).empty()),
  createTypedHttp<images>().get('/api/v1/images/public/{id}', () =>
    // @ts-expect-error MSW's own HttpResponse.json is checked too: no documented answer has `wrong`
    HttpResponse.json({ wrong: 1 }),
  ),
  createTypedHttp<images>().get('/api/v1/images/public/{id}', ({ params, response }) => {
    // @ts-expect-error the path names `id`, not `imageId`
    void params.imageId;
    return response(404).json({ statusCode: 404, error: 'Not Found', message: 'gone' });
  }),
];

export const stackroxOverrides: HttpHandler[] = [
  createTypedHttp<stackrox>().get('/v1/imagescount', ({ response }) => response(200).json({ count: 3 })),
  // @ts-expect-error count is a number
  createTypedHttp<stackrox>().get('/v1/imagescount', ({ response }) => response(200).json({ count: true })),
];

export const chutesOverrides: HttpHandler[] = [
  // @ts-expect-error Chutes documents a 404 for an unknown image; its body is FastAPI's {detail}, not a message
  createTypedHttp<chutes>().get('/images/{image_id_or_name}', ({ response }) => response(404).json({ message: 'gone' })),
];
