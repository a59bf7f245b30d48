import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

// Every page, by the person it serves. The titles are the pages' stable accessible names: the
// navigation links and each page's heading carry them, and people, docs and tests rely on them.

export type Role = 'partner' | 'manager' | 'admin' | 'ops';

export interface PageEntry {
  path: string;
  title: string;
  roles: readonly Role[];
  component: LazyExoticComponent<ComponentType>;
}

export const PAGES: readonly PageEntry[] = [
  {
    path: '/register',
    title: 'Register a deal',
    roles: ['partner'],
    component: lazy(() => import('../pages/partner/RegisterDeal')),
  },
  {
    path: '/registrations',
    title: 'My registrations',
    roles: ['partner'],
    component: lazy(() => import('../pages/partner/MyRegistrations')),
  },
  {
    path: '/conflicts',
    title: 'My conflict cases',
    roles: ['partner'],
    component: lazy(() => import('../pages/partner/MyConflictCases')),
  },
  {
    path: '/rules',
    title: 'Rules of engagement',
    roles: ['partner'],
    component: lazy(() => import('../pages/partner/RulesOfEngagement')),
  },
  { path: '/inbox', title: 'Inbox', roles: ['manager'], component: lazy(() => import('../pages/manager/Inbox')) },
  { path: '/policies', title: 'Policies', roles: ['admin'], component: lazy(() => import('../pages/admin/Policies')) },
  { path: '/rollouts', title: 'Rollouts', roles: ['admin'], component: lazy(() => import('../pages/admin/Rollouts')) },
  {
    path: '/directory',
    title: 'Directory',
    roles: ['admin'],
    component: lazy(() => import('../pages/admin/Directory')),
  },
  { path: '/api-keys', title: 'API keys', roles: ['admin'], component: lazy(() => import('../pages/admin/ApiKeys')) },
  {
    path: '/webhooks',
    title: 'Webhooks',
    roles: ['admin'],
    component: lazy(() => import('../pages/admin/Webhooks')),
  },
  {
    path: '/dashboard',
    title: 'Dashboard',
    roles: ['ops', 'admin'],
    component: lazy(() => import('../pages/ops/Dashboard')),
  },
  {
    path: '/workflows',
    title: 'Workflows',
    roles: ['ops', 'admin'],
    component: lazy(() => import('../pages/ops/Workflows')),
  },
  { path: '/audit', title: 'Audit', roles: ['ops', 'admin'], component: lazy(() => import('../pages/ops/Audit')) },
];

export const pagesFor = (role: string): PageEntry[] =>
  PAGES.filter((p) => (p.roles as readonly string[]).includes(role));
