import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './openapi';
import { ApiProblem, problemFrom } from './problem';

// The one way the page talks to the server: typed from the API's own OpenAPI document, the bearer
// token added here, a 401 handed to the session (which returns to sign-in).

type TokenSource = () => string | undefined;
type Unauthorized = () => void;

let currentToken: TokenSource = () => undefined;
let onUnauthorized: Unauthorized = () => undefined;

/** Called by the session: where the token comes from and what a 401 does. */
export function connectSession(token: TokenSource, unauthorized: Unauthorized): void {
  currentToken = token;
  onUnauthorized = unauthorized;
}

export function bearerToken(): string | undefined {
  return currentToken();
}

/** For the few requests made outside this client (the event stream): the server refused the token. */
export function reportUnauthorized(): void {
  onUnauthorized();
}

const bearer: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(bearer);

/**
 * The data of a call, or an ApiProblem the page can show (status 0: the server could not be
 * reached). Every page calls the API through this.
 */
export async function call<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Exclude<T, undefined>> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw new ApiProblem(0, 'Offline', 'The server cannot be reached.');
  }
  if (!result.response.ok) throw problemFrom(result.response.status, result.error);
  return result.data as Exclude<T, undefined>;
}
