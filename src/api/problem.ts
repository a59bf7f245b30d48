import type { Response } from 'express';

import type { FieldError } from '../domain/fieldErrors';

export type { FieldError };

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An RFC 9457 problem the API answers with; `type` is a stable slug callers can switch on. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [key: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new Problem(400, 'validation-error', detail, errors ? { errors } : {});
export const notFound = (what: string) => new Problem(404, 'not-found', `${what} does not exist`);
export const conflict = (detail: string, extra: Record<string, unknown> = {}) =>
  new Problem(409, 'invalid-state', detail, extra);
export const forbidden = (detail: string) => new Problem(403, 'forbidden', detail);

export function sendProblem(res: Response, problem: Problem): void {
  const { headers, ...extra } = problem.extra;
  for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: `/problems/${problem.type}`,
      title: TITLES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problem.detail,
      ...extra,
    });
}
