// How well identity resolution found the real customers, measured against the sample
// generator's ground truth (which source records are the same person). Pairwise
// precision and recall count pairs of records put together; cluster accuracy counts
// persons whose records ended up as exactly one customer, alone.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { literal } from '../ingest/load/sql.ts';

export interface IdentityMetrics {
  records: number;
  persons: number;
  customers: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
  /** Share of persons whose records form exactly one customer holding nothing else. */
  clusterAccuracy: number;
}

/** Reads the warehouse read-only; `truthDir` holds customer_records.csv from the generator. */
export async function measureIdentity(warehouseFile: string, truthDir: string): Promise<IdentityMetrics> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const truthFile = join(truthDir, 'customer_records.csv');
    const reader = await connection.runAndReadAll(`
      with truth as (
          select source, entity, record_id, person_id
          from read_csv(${literal(truthFile)}, header = true, all_varchar = true)
      ),
      joined as (
          select truth.person_id, clusters.customer_id
          from truth inner join intermediate.int_identity_clusters as clusters using (source, entity, record_id)
      ),
      cells as (select person_id, customer_id, count(*) as n from joined group by person_id, customer_id),
      persons as (select person_id, sum(n) as n, count(*) as customer_count, min(customer_id) as only_customer from cells group by person_id),
      customers as (select customer_id, count(*) as n from joined group by customer_id),
      -- Two-way join on the customer id: a person is whole when it is one customer holding nothing else.
      whole as (
          select count(*) as exact
          from persons inner join customers on customers.customer_id = persons.only_customer
          where persons.customer_count = 1 and customers.n = persons.n
      )
      select
          (select count(*) from joined)::bigint,
          (select count(*) from persons)::bigint,
          (select count(*) from customers)::bigint,
          (select coalesce(sum(n * (n - 1) / 2), 0) from persons)::bigint,
          (select coalesce(sum(n * (n - 1) / 2), 0) from customers)::bigint,
          (select coalesce(sum(n * (n - 1) / 2), 0) from cells)::bigint,
          (select exact from whole)::bigint
    `);
    const [records, persons, customers, truePairs, predictedPairs, correctPairs, exact] = reader.getRowsJS()[0]!.map(Number) as number[];
    const precision = predictedPairs! === 0 ? 1 : correctPairs! / predictedPairs!;
    const recall = truePairs! === 0 ? 1 : correctPairs! / truePairs!;
    return {
      records: records!,
      persons: persons!,
      customers: customers!,
      truePairs: truePairs!,
      predictedPairs: predictedPairs!,
      correctPairs: correctPairs!,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      clusterAccuracy: persons! === 0 ? 1 : exact! / persons!,
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
