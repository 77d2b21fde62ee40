// The current page's path, kept in step with the browser's history, so the header's
// links change pages without a reload and the back button goes back a page. Each page
// keeps its own filters in the query string; a page change starts from a clean one.
const state = $state<{ pathname: string }>({ pathname: window.location.pathname });

window.addEventListener('popstate', () => {
  state.pathname = window.location.pathname;
});

export const route = {
  get pathname(): string {
    return state.pathname;
  },
  /** Goes to `path` (with an optional query string), adding a history entry. */
  navigate(path: string, search = ''): void {
    const url = `${path}${search ? `?${search}` : ''}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, '', url);
    state.pathname = path;
  },
  /** Puts the page's state in the query string without a history entry (bookmarks and shared links restore it). */
  replaceSearch(search: string): void {
    const { pathname, hash } = window.location;
    const url = `${pathname}${search ? `?${search}` : ''}${hash}`;
    if (url !== `${pathname}${window.location.search}${hash}`) window.history.replaceState(window.history.state, '', url);
  },
};
