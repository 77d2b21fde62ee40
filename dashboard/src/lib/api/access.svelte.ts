// What the signed-in user may see, from the API's /meta (Cube's access policies decide;
// the dashboard only reads the answer). Pages name the members they need
// (pages/registry.ts `requires`) and are offered only when every one is queryable; a
// panel can ask `access.missing([...])` the same way and say it is hidden for the role.
import { Resource } from '../state/resource.svelte.ts';
import { loadQueryableMembers } from './cube.ts';

/** The members of `required` the user may not query (empty: the page or panel can be filled). */
export function missingMembers(queryable: ReadonlySet<string>, required: readonly string[]): string[] {
  return required.filter((member) => !queryable.has(member));
}

const queryable = new Resource<Set<string>>((signal) => loadQueryableMembers(signal));

export const access = {
  /** Loading, ready with the queryable members, or failed. */
  get state() {
    return queryable.state;
  },
  /** Asks /meta again (after every sign-in). */
  load: queryable.load,
  cancel: queryable.cancel,
  /** The members of `required` the user may not query; all of them until /meta has answered. */
  missing(required: readonly string[]): string[] {
    return queryable.state.status === 'ready' ? missingMembers(queryable.state.data, required) : [...required];
  },
};
