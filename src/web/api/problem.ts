/** A refusal from the API (RFC 9457 problem+json), in a shape the page can show at the field. */
export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly fieldErrors: FieldProblem[] = [],
  ) {
    super(detail || title);
  }

  /** The message for one form field (`path` as the API names it, e.g. `account.domain`). */
  forField(path: string): string | undefined {
    return this.fieldErrors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
  }
}

/** Reads any error answer into an ApiProblem; a body that is not a problem still reads as words. */
export function problemFrom(status: number, body: unknown): ApiProblem {
  if (body && typeof body === 'object') {
    const b = body as { title?: unknown; detail?: unknown; errors?: unknown };
    const errors = Array.isArray(b.errors)
      ? b.errors.filter(
          (e): e is FieldProblem =>
            !!e && typeof e === 'object' && typeof e.path === 'string' && typeof e.message === 'string',
        )
      : [];
    return new ApiProblem(
      status,
      typeof b.title === 'string' ? b.title : `Error ${status}`,
      typeof b.detail === 'string' ? b.detail : '',
      errors,
    );
  }
  return new ApiProblem(status, `Error ${status}`, status >= 500 ? 'The server could not answer just now.' : '');
}

/** Words for a person: what went wrong, never raw JSON. */
export function describeError(error: unknown): string {
  if (error instanceof ApiProblem) {
    if (error.status === 0) return 'The server cannot be reached. Check your connection; this page retries.';
    if (error.status === 404) return error.detail || 'Not found — it may have been removed, or is not yours to see.';
    if (error.status === 403) return error.detail || 'You are not allowed to do this.';
    if (error.status === 429) return 'Too many requests just now; wait a moment and try again.';
    if (error.status >= 500) return 'The server could not answer just now. Try again in a moment.';
    return error.detail || error.title;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
