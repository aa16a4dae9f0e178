// Expected failures of the service, as gRPC status codes with StackRox's messages (errox style:
// "<what>: <kind>", e.g. "id must be specified: invalid arguments"). The HTTP status follows from the code.

export const GrpcCode = {
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  Unimplemented: 12,
  Internal: 13,
  Unauthenticated: 16,
} as const;
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

/** grpc-gateway's mapping of the codes this service answers to HTTP statuses. */
export function httpStatusOf(code: GrpcCode): number {
  switch (code) {
    case GrpcCode.InvalidArgument:
      return 400;
    case GrpcCode.Unauthenticated:
      return 401;
    case GrpcCode.PermissionDenied:
      return 403;
    case GrpcCode.NotFound:
      return 404;
    case GrpcCode.Unimplemented:
      return 405; // grpc-gateway answers 405 for a known path with another method
    case GrpcCode.AlreadyExists:
      return 409;
    case GrpcCode.ResourceExhausted:
      return 429;
    case GrpcCode.DeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

export class RpcError extends Error {
  constructor(
    readonly code: GrpcCode,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgs = (what: string) => new RpcError(GrpcCode.InvalidArgument, `${what}: invalid arguments`);
export const notFound = (what: string) => new RpcError(GrpcCode.NotFound, `${what}: not found`);
