// The relationship-nature rules against the sample company's true relationship types
// (the generator's persons.csv), which the models never read. Agreement is measured on
// the customers the rules gave a type as of the latest month; `unknown` (too little
// history) is coverage, reported beside it. The targets: >= 90 % overall and
// >= 80 % for each type.
import { describe, expect, inject, it } from 'vitest';
import { formatConfusion, measureRelationshipAgreement, relationshipTypes } from '../../bench/relationship-agreement.ts';

const warehouseFile = inject('warehouseFile');
const truthDir = inject('truthDir');

describe('relationship nature against the ground truth of the default sample company', () => {
  it('agrees on at least 80 % of the customers of each true type', async () => {
    const agreement = await measureRelationshipAgreement(warehouseFile, truthDir);
    console.log(`${formatConfusion(agreement)}\noverall ${(100 * agreement.overall).toFixed(1)} % of ${agreement.decided}, coverage ${(100 * agreement.coverage).toFixed(1)} % of ${agreement.customers}`);
    for (const type of relationshipTypes) {
      expect(agreement.perType[type].decided, type).toBeGreaterThan(0);
      expect(agreement.perType[type].agreement, type).toBeGreaterThanOrEqual(0.8);
    }
  });

  // The sample company meets the overall target (91.8 % when written); a
  // different generator seed (3,000 persons, seed 7) gave 90.1 % and the 100,000-customer
  // bench set 89.9 % (docs/management.md), so this is close to the edge, not a margin.
  it('agrees on at least 90 % overall', async () => {
    const agreement = await measureRelationshipAgreement(warehouseFile, truthDir);
    expect(agreement.overall).toBeGreaterThanOrEqual(0.9);
  });
});
