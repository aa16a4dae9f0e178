import type { MediaTypeSpec, OperationSpec, ResponseSpec } from '../model.ts';

/** The documented response for a status: exact code first, then its range (4XX), then default. */
export function documentedResponse(op: OperationSpec, status: number): ResponseSpec | undefined {
  const code = String(status);
  return (
    op.responses.find((r) => r.status === code) ??
    op.responses.find((r) => r.status === `${code[0]}XX`) ??
    op.responses.find((r) => r.status === 'DEFAULT')
  );
}

export function documentedStatuses(op: OperationSpec): string[] {
  return op.responses.map((r) => (r.status === 'DEFAULT' ? 'default' : r.status));
}

/** "application/json; charset=utf-8" -> "application/json". */
export function baseMediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export function mediaTypeMatches(documented: string, received: string): boolean {
  const [dType, dSub] = baseMediaType(documented).split('/');
  const [rType, rSub] = baseMediaType(received).split('/');
  if (!rType) return false;
  return (dType === '*' || dType === rType) && (dSub === '*' || dSub === rSub);
}

export function documentedMediaType(response: ResponseSpec, received: string): MediaTypeSpec | undefined {
  return (
    response.content.find((c) => baseMediaType(c.mediaType) === baseMediaType(received)) ??
    response.content.find((c) => mediaTypeMatches(c.mediaType, received))
  );
}

export function isJsonMediaType(mediaType: string): boolean {
  const base = baseMediaType(mediaType);
  return base === 'application/json' || base.endsWith('+json');
}
