// The order test files start in: the longest first, so that neither of the two workers
// is left running a long file alone at the end while the other has nothing to do.
//
// Vitest's own order (BaseSequencer) runs the files it has timed before longest first,
// but a fresh clone has no timings: it then runs one project after the other and, within
// each, the larger files first, which started the bench's smoke test (a short file, and
// among the longest) near the end of the unit files. The files below build warehouses of
// their own and were the longest in every run measured (docs/performance.md, "Test-suite
// layout"); they start first, in this order, and every other file follows in vitest's
// order. A file missing from the list only starts later, which costs time, never a check.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const longestFiles = [
  'test/pipeline/incremental-build.test.ts',
  'test/bench/bench-smoke.test.ts',
  'test/management/management-fixture.test.ts',
  'test/service/service-fixture.test.ts',
  'test/marketing/marketing-fixture.test.ts',
  'test/finance/finance-fixture.test.ts',
  'test/pipeline/rebuild-while-serving.test.ts',
  // Warehouse files wait for the shared sample build, which is done by the time these start.
  'test/pipeline/erasure.warehouse.test.ts',
  'test/identity/identity-resolution.warehouse.test.ts',
  'test/management/portfolio-transitions-incremental.warehouse.test.ts',
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const inVitestOrder = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = longestFiles.indexOf(relative(spec.project.config.root, spec.moduleId).split('\\').join('/'));
      return index === -1 ? longestFiles.length : index;
    };
    return inVitestOrder
      .map((spec, order) => ({ spec, order, rank: rank(spec) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map(({ spec }) => spec);
  }
}
