import { request } from 'node:http';
import type { FuzzRequest } from './requests';
import { contractOf, requestViolationOf, type OpenApiDocument } from '../helpers/openApiContract';

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

// Header values a client cannot even send (Node refuses them before the server sees anything).
const UNSENDABLE = /[^\t\x20-\x7e\x80-\xff]/g;

/**
 * Sends the request as is (node:http, not fetch: a GET may carry a body and the path is not
 * normalised); `'timeout'` when no full answer arrives in time, which the fuzzer counts as a hang.
 */
export function send(baseUrl: string, req: FuzzRequest, timeoutMs: number): Promise<RawResponse | 'timeout'> {
  const { hostname, port } = new URL(baseUrl);
  const headers = sendableHeaders(req);
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      outgoing.destroy();
      resolve('timeout');
    }, timeoutMs);
    const outgoing = request({ hostname, port, method: req.method, path: req.url, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(req.body);
  });
}

const sendableHeaders = (req: FuzzRequest): Record<string, string> =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, v.replace(UNSENDABLE, '')]));

/**
 * What the OpenAPI document says is wrong: with the answer (an undeclared status or content type,
 * a body off its schema), or with a request the server took although the document refuses it.
 */
export function contractFaultOf(document: OpenApiDocument) {
  const answerViolation = contractOf(document);
  const requestViolation = requestViolationOf(document);
  return (req: FuzzRequest, response: RawResponse | 'timeout'): string | undefined => {
    if (response === 'timeout') return undefined;
    const answer = answerViolation({ method: req.method, url: req.url, ...response });
    if (answer) return `the answer breaks the OpenAPI document: ${answer}`;
    if (response.status < 200 || response.status >= 300) return undefined;
    const refused = requestViolation({
      method: req.method,
      url: req.url,
      headers: sendableHeaders(req),
      body: req.body,
    });
    return refused ? `the server took what the OpenAPI document refuses: ${refused}` : undefined;
  };
}

/** What is wrong with an answer, or undefined: no 5xx, and every error is an RFC 9457 problem. */
export function faultOf(req: FuzzRequest, response: RawResponse | 'timeout'): string | undefined {
  if (response === 'timeout') return 'no answer in time (hang)';
  if (response.status >= 500) return `answered ${response.status}: ${response.text.slice(0, 500)}`;
  if (req.unknownField && response.status < 300) return `accepted the unknown field "${req.unknownField}"`;
  if (response.status < 400 || req.method === 'HEAD') return undefined;
  if (!/^application\/problem\+json/.test(response.contentType)) {
    return `answered ${response.status} as ${response.contentType || '(no content type)'}, not problem+json`;
  }
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(response.text) as Record<string, unknown>;
  } catch {
    return `answered ${response.status} with a problem+json body that is not JSON`;
  }
  const fields = ['type', 'title', 'detail'].filter((field) => typeof problem[field] !== 'string');
  if (fields.length > 0 || problem.status !== response.status) {
    return `answered ${response.status} with an incomplete problem: ${response.text.slice(0, 300)}`;
  }
  if (problem.type === '/problems/validation-error' && !namesFields(problem.errors)) {
    return `a validation error that names no field: ${response.text.slice(0, 300)}`;
  }
  return undefined;
}

const namesFields = (errors: unknown): boolean =>
  Array.isArray(errors) &&
  errors.length > 0 &&
  errors.every(
    (e: unknown) =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as Record<string, unknown>).path === 'string' &&
      typeof (e as Record<string, unknown>).message === 'string',
  );

export function describeRequest(req: FuzzRequest): string {
  const body =
    req.body === undefined
      ? ''
      : `\n${req.body.length > 400 ? `${req.body.slice(0, 400)}… (${req.body.length} chars)` : req.body}`;
  const url = req.url.length > 300 ? `${req.url.slice(0, 300)}…` : req.url;
  return `${req.method} ${url} [${req.kind}] ${JSON.stringify(req.headers).slice(0, 300)}${body}`;
}
