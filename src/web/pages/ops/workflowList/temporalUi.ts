import type { Principal } from '../../../auth/session';

/**
 * The Temporal UI page of one workflow, or undefined when this server names no Temporal UI. The
 * namespace comes with the session; a server that does not say runs in Temporal's `default`.
 */
export function temporalUiLinkOf(principal: Principal, workflowId: string): string | undefined {
  if (!principal.temporalUiUrl) return undefined;
  const base = principal.temporalUiUrl.replace(/\/+$/, '');
  const namespace = principal.temporalNamespace ?? 'default';
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
