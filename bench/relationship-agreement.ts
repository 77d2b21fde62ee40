// How well the relationship-nature rules (management.fct_relationship_nature_monthly)
// agree with the sample company's true relationship types (persons.csv in the
// generator's ground truth), as of the latest month. The models never read the truth.
// A customer is matched to the person most of its source records belong to. Customers
// the rules leave `unknown` (too little history) are counted apart: agreement is
// measured on the customers given a type, coverage says how many those are.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { literal } from '../ingest/load/sql.ts';

export const relationshipTypes = ['transaction', 'contract', 'preference', 'partner'] as const;
export type RelationshipType = (typeof relationshipTypes)[number];

export interface RelationshipAgreement {
  /** Customers of the latest month matched to a person of the truth. */
  customers: number;
  /** Of those, the customers the rules gave a type (not unknown). */
  decided: number;
  /** decided / customers. */
  coverage: number;
  /** Decided customers whose type is the true one / decided. */
  overall: number;
  /** Per true type: decided customers of that type given it / decided customers of that type. */
  perType: Record<RelationshipType, { decided: number; agreed: number; agreement: number }>;
  /** confusion[true type][decided nature] = customers; decided natures include unknown. */
  confusion: Record<string, Record<string, number>>;
}

export async function measureRelationshipAgreement(warehouseFile: string, truthDir: string): Promise<RelationshipAgreement> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`
      with truth_records as (
          select source, entity, record_id, person_id
          from read_csv(${literal(join(truthDir, 'customer_records.csv'))}, header = true, all_varchar = true)
      ),
      persons as (
          select person_id, relationship_type
          from read_csv(${literal(join(truthDir, 'persons.csv'))}, header = true, all_varchar = true)
      ),
      customer_person as (
          select clusters.customer_id, truth_records.person_id
          from truth_records
          inner join intermediate.int_identity_clusters as clusters using (source, entity, record_id)
          group by clusters.customer_id, truth_records.person_id
          qualify row_number() over (partition by clusters.customer_id order by count(*) desc, truth_records.person_id) = 1
      )
      select persons.relationship_type as truth, nature.relationship_nature as decided, count(*)::integer as customers
      from management.fct_relationship_nature_monthly as nature
      inner join customer_person using (customer_id)
      inner join persons using (person_id)
      where nature.is_latest
      group by all
    `);
    const confusion: Record<string, Record<string, number>> = {};
    for (const [truth, decided, customers] of reader.getRowsJS() as [string, string, number][]) {
      (confusion[truth] ??= {})[decided] = customers;
    }
    const count = (truth: string, predicate: (decided: string) => boolean) =>
      Object.entries(confusion[truth] ?? {}).reduce((sum, [decided, n]) => sum + (predicate(decided) ? n : 0), 0);
    const perType = Object.fromEntries(
      relationshipTypes.map((type) => {
        const decided = count(type, (d) => d !== 'unknown');
        const agreed = count(type, (d) => d === type);
        return [type, { decided, agreed, agreement: decided === 0 ? 0 : agreed / decided }];
      }),
    ) as RelationshipAgreement['perType'];
    const customers = Object.keys(confusion).reduce((sum, truth) => sum + count(truth, () => true), 0);
    const decided = relationshipTypes.reduce((sum, type) => sum + perType[type].decided, 0);
    const agreed = relationshipTypes.reduce((sum, type) => sum + perType[type].agreed, 0);
    return { customers, decided, coverage: customers === 0 ? 0 : decided / customers, overall: decided === 0 ? 0 : agreed / decided, perType, confusion };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The confusion matrix as a text table: true types down, decided natures across. */
export function formatConfusion(agreement: RelationshipAgreement): string {
  const columns = [...relationshipTypes, 'unknown'];
  const rows = [['true \\ decided', ...columns, 'agreement']];
  for (const type of relationshipTypes) {
    const r = agreement.perType[type];
    rows.push([type, ...columns.map((c) => String(agreement.confusion[type]?.[c] ?? 0)), `${(100 * r.agreement).toFixed(1)} % of ${r.decided}`]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}
