// What a table paged on the server shows: the column it is sorted by and the direction,
// the search (applied after a pause in typing, from the first page) and the first row of
// the page. The customer tables share it; each loads its rows from these values.

/** How long typing must pause before a search runs, ms. */
const searchPause = 300;

import type { MessageKey } from '../i18n/index.svelte.ts';

/** A column of such a table: its sort key (null = not sortable), heading and alignment. */
export interface SortableColumn<Sort extends string> {
  key: Sort | null;
  label: MessageKey;
  numeric: boolean;
}

export type AriaSort = 'ascending' | 'descending' | 'none' | undefined;

export class TableView<Sort extends string> {
  sort = $state() as Sort;
  descending = $state(true);
  /** What the search box holds; `search` follows it after a pause. */
  searchInput = $state('');
  search = $state('');
  offset = $state(0);
  readonly #ascendingFirst: readonly Sort[];

  /** `ascendingFirst`: the columns that sort A to Z when first chosen (names); the rest sort high to low. */
  constructor(sort: Sort, ascendingFirst: readonly Sort[]) {
    this.sort = sort;
    this.descending = !ascendingFirst.includes(sort);
    this.#ascendingFirst = ascendingFirst;
  }

  /** Sorts by `key`, or turns the direction round when it already is the sort column. */
  sortBy = (key: Sort): void => {
    if (this.sort === key) this.descending = !this.descending;
    else {
      this.sort = key;
      this.descending = !this.#ascendingFirst.includes(key);
    }
    this.offset = 0;
  };

  ariaSort = (key: Sort | null): AriaSort => {
    if (key === null) return undefined;
    return this.sort === key ? (this.descending ? 'descending' : 'ascending') : 'none';
  };

  /** ▼ / ▲ on the sort column, nothing elsewhere. */
  sortMark = (key: Sort): string => (this.sort === key ? (this.descending ? '▼' : '▲') : '');

  /** Call in an $effect: applies the search box after a pause; returns the cleanup. */
  followSearchInput = (): (() => void) => {
    const value = this.searchInput;
    const timer = setTimeout(() => {
      if (value !== this.search) {
        this.search = value;
        this.offset = 0;
      }
    }, searchPause);
    return () => clearTimeout(timer);
  };
}
