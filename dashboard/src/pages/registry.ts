// The dashboard's pages, one entry each: its path, its title and how to load it. The
// header's navigation and the app shell read this list, so a new audience page is one
// entry here (and its component in this folder). Pages are loaded after sign-in, so the
// sign-in form comes up fast without ECharts.
import type { Component } from 'svelte';
import type { MessageKey } from '../lib/i18n/index.svelte.ts';

export interface PageEntry {
  /** Stable id, also the first path segment: /finance. */
  id: string;
  titleKey: MessageKey;
  load: () => Promise<{ default: Component }>;
}

export const pages: readonly PageEntry[] = [
  { id: 'finance', titleKey: 'finance.title', load: () => import('./FinancePage.svelte') },
  { id: 'management', titleKey: 'management.title', load: () => import('./ManagementPage.svelte') },
];

export function pagePath(page: PageEntry): string {
  return `/${page.id}`;
}

/** The page a path shows: its first segment names it; anything else opens the first page. */
export function pageForPath(pathname: string): PageEntry {
  const id = pathname.split('/').filter(Boolean)[0];
  return pages.find((page) => page.id === id) ?? pages[0]!;
}
