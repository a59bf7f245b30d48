import type { paths } from './openapi';

// Names for what the API answers, read from the generated contract: a page's types change when
// the contract does, and the type check says where.

type Methods = 'get' | 'post' | 'put' | 'delete';
type Success = 200 | 201 | 202;

/** The JSON body of a successful answer of `method path`. */
export type ResponseOf<P extends keyof paths, M extends Methods & keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? {
      [S in Success & keyof R]: R[S] extends { content: { 'application/json': infer B } } ? B : never;
    }[Success & keyof R]
  : never;

/** The JSON body `method path` takes. */
export type BodyOf<P extends keyof paths, M extends Methods & keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type Session = ResponseOf<'/api/session', 'get'>;
export type AuthConfig = ResponseOf<'/api/auth/config', 'get'>;
export type Registration = ResponseOf<'/api/registrations/{id}', 'get'>;
export type RegistrationPage = ResponseOf<'/api/registrations', 'get'>;
export type RegistrationBody = BodyOf<'/api/registrations', 'post'>;
export type ConflictCase = ResponseOf<'/api/conflicts/{id}', 'get'>;
export type Inbox = ResponseOf<'/api/inbox', 'get'>;
export type InboxItem = Inbox['items'][number];
export type Policy = ResponseOf<'/api/policies/{version}', 'get'>;
export type Rollout = ResponseOf<'/api/rollouts/{id}', 'get'>;
export type Metrics = ResponseOf<'/api/metrics', 'get'>;
