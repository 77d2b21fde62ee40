// The dashboard's pages, one entry each: its path, its title and how to load it. The
// header's navigation and the app shell read this list, so a new audience page is one
// entry here (and its component in this folder). Pages are loaded after sign-in, so the
// sign-in form comes up fast without ECharts; once it is up and the browser is idle,
// the form fetches them (prefetchPages), so the page is ready when the user has typed
// the password instead of being fetched and parsed after "Sign in". A page names the members its queries
// need; the app shell shows it only to users whose roles may query all of them (the
// API's /meta, trimmed by Cube's access policies) and says so where one is hidden.
import type { Component } from 'svelte';
import { financeMembers } from '../lib/api/queries.ts';
import { managementMembers } from '../lib/api/management-queries.ts';
import { marketingRequires } from '../lib/api/marketing-queries.ts';
import { serviceRequires } from '../lib/api/service-queries.ts';
import type { MessageKey } from '../lib/i18n/index.svelte.ts';

export interface PageEntry {
  /** Stable id, also the first path segment: /finance. */
  id: string;
  titleKey: MessageKey;
  /**
   * The members every panel of the page needs: the page is shown only when the user may
   * query them all. Members only some of its roles see (money, margin) are left out here;
   * their panels ask access.missing and say they are hidden.
   */
  requires: readonly string[];
  load: () => Promise<{ default: Component }>;
}

export const pages: readonly PageEntry[] = [
  { id: 'finance', titleKey: 'finance.title', requires: Object.values(financeMembers), load: () => import('./FinancePage.svelte') },
  { id: 'management', titleKey: 'management.title', requires: Object.values(managementMembers), load: () => import('./ManagementPage.svelte') },
  { id: 'marketing', titleKey: 'marketing.title', requires: marketingRequires, load: () => import('./MarketingPage.svelte') },
  { id: 'service', titleKey: 'service.title', requires: serviceRequires, load: () => import('./ServicePage.svelte') },
];

/**
 * Fetches and evaluates every page's code (and ECharts with it) while the browser is
 * idle. Called by the sign-in form after it is shown: on the bench's 100,000-customer
 * warehouse the finance page's code arrived 150-180 ms after "Sign in" and its queries
 * waited for it (docs/performance.md). A failed fetch is ignored here: the page's own
 * load after sign-in tries again and shows the error.
 */
export function prefetchPages(): void {
  const fetchAll = () => {
    for (const page of pages) page.load().catch(() => undefined);
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(fetchAll, { timeout: 2_000 });
  else setTimeout(fetchAll, 200);
}

export function pagePath(page: PageEntry): string {
  return `/${page.id}`;
}

/** The page a path names (its first segment), if any. */
export function pageNamedBy(pathname: string): PageEntry | undefined {
  const id = pathname.split('/').filter(Boolean)[0];
  return pages.find((page) => page.id === id);
}

/** The page a path shows among those the user may see: the one it names, else the first; undefined when none is available. */
export function pageForPath(pathname: string, available: readonly PageEntry[] = pages): PageEntry | undefined {
  const named = pageNamedBy(pathname);
  return available.find((page) => page.id === named?.id) ?? available[0];
}
