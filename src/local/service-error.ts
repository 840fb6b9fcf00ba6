/**
 * An error the service answers on the wire: `code` becomes `__type`, `status`
 * the HTTP status. Codes are those of the real service (ResourceNotFound has no
 * "Exception" suffix there either).
 */
export type ServiceErrorCode =
  | 'ValidationException'
  | 'ResourceNotFound'
  | 'ResourceLimitExceeded'
  | 'ConflictException'
  | 'ThrottlingException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'InternalFailure';

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  readonly status: number;
  constructor(code: ServiceErrorCode, message: string, status = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
  }
}

export function validationError(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

export function notFound(message: string): ServiceError {
  return new ServiceError('ResourceNotFound', message);
}
