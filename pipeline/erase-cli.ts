// `npm run erase -- --customer <id> --requested-by <who or ticket>`: erases a person's
// identifying data from the warehouse and keeps it out of later builds (pipeline/erase.ts).
import { eraseCustomer } from './erase.ts';
import { readCommandLine } from './command-line.ts';

const values = readCommandLine('npm run erase -- --customer CU-000123 --requested-by "<who asked, or the ticket>" [--warehouse FILE]', {
  options: { customer: { type: 'string' }, 'requested-by': { type: 'string' }, warehouse: { type: 'string' } },
});
if (!values.customer || !values['requested-by']) {
  console.error('usage: npm run erase -- --customer CU-000123 --requested-by "<who asked, or the ticket>" [--warehouse FILE]');
  process.exit(2);
}
try {
  const report = await eraseCustomer({
    customerId: values.customer,
    requestedBy: values['requested-by'],
    ...(values.warehouse ? { warehouseFile: values.warehouse } : {}),
  });
  console.log(`Done: ${report.customerId} is now an anonymous customer (${report.records.length} source records, ${report.rawRowsChanged} raw rows changed). Logged in raw.erasure_log and the erasure list.`);
} catch (error) {
  console.error(`erase failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
