// What the signed-in user may see, from the API's /meta (Cube's access policies decide;
// the dashboard only reads the answer). Pages and panels name the members they need and
// are shown only when every one of them is queryable.
export { loadQueryableMembers } from './cube.ts';

/** The members of `required` the user may not query (empty: the page or panel can be filled). */
export function missingMembers(queryable: ReadonlySet<string>, required: readonly string[]): string[] {
  return required.filter((member) => !queryable.has(member));
}
