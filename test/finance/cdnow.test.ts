// The customer-value models (models/python/asiakkuus_value, used by the dbt model
// fct_customer_value) validated on the public CDNOW sample, through the package's own
// CLI: the purchase summary computed from the raw transactions equals the one the
// lifetimes package ships, the fitted BG/NBD and Gamma-Gamma parameters match the
// published ones to within 1 %, and the closed forms the builds fit and predict with
// (SciPy and NumPy, no PyMC) agree with PyMC-Marketing's own models: the same
// log-likelihood, the same maximum, the same predictions. Needs only the project virtualenv.
import { spawnSync } from 'node:child_process';
import { beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../../config/settings.ts';
import { ensurePythonEnv, pythonPackagesEnv, venvBinary } from '../../pipeline/python-env.ts';

// Fader, Hardie and Lee (2005), "Counting your customers the easy way: an alternative to
// the Pareto/NBD model", Marketing Science 24(2), table 1 (BG/NBD on CDNOW, 2,357
// customers, 39-week calibration period); Fader and Hardie (2013), "The Gamma-Gamma model
// of monetary value" (the 946 customers with repeat purchases).
const published = {
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  logLikelihood: -9582.4,
  gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
};
const tolerance = 0.01;

interface CdnowResult {
  customers: number;
  repeat_customers: number;
  summary_rows_differing_from_shipped: Record<string, number>;
  bgnbd: Record<string, number>;
  bgnbd_log_likelihood: number;
  gamma_gamma: Record<string, number>;
  log_likelihood: { bgnbd: number; gamma_gamma: number };
  pymc_log_likelihood_at_ours: { bgnbd: number; gamma_gamma: number };
  log_likelihood_at_pymc_fit: { bgnbd: number; gamma_gamma: number };
  parameters_relative_difference_from_pymc: Record<string, number>;
  predictions_relative_difference_from_pymc: Record<string, number>;
  fit_seconds: number;
  seconds: number;
}

let result: CdnowResult;

function within(value: number, expected: number): boolean {
  return Math.abs(value - expected) <= tolerance * Math.abs(expected);
}

beforeAll(async () => {
  await ensurePythonEnv(() => {});
  const run = spawnSync(venvBinary('python'), ['-m', 'asiakkuus_value.cdnow', '--json'], {
    cwd: repoRoot,
    env: pythonPackagesEnv(),
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  result = JSON.parse(run.stdout) as CdnowResult;
  console.log(`CDNOW (${result.seconds} s, the fit ${result.fit_seconds} s): BG/NBD ${JSON.stringify(result.bgnbd)} LL ${result.bgnbd_log_likelihood}; Gamma-Gamma ${JSON.stringify(result.gamma_gamma)}`);
});

it('summarises the raw CDNOW transactions exactly as the shipped summary', () => {
  expect(result.customers).toBe(2357);
  expect(result.repeat_customers).toBe(946);
  expect(result.summary_rows_differing_from_shipped).toEqual({ customers_only_in_one: 0, frequency: 0, recency: 0, T: 0, monetary_value: 0 });
});

it('fits BG/NBD to the published parameters and log-likelihood within 1 %', () => {
  for (const [name, expected] of Object.entries(published.bgnbd)) {
    expect(within(result.bgnbd[name]!, expected), `${name} = ${result.bgnbd[name]} vs ${expected}`).toBe(true);
  }
  expect(within(result.bgnbd_log_likelihood, published.logLikelihood), `LL ${result.bgnbd_log_likelihood}`).toBe(true);
});

it('fits Gamma-Gamma on the 946 repeat buyers to the published parameters within 1 %', () => {
  for (const [name, expected] of Object.entries(published.gammaGamma)) {
    expect(within(result.gamma_gamma[name]!, expected), `${name} = ${result.gamma_gamma[name]} vs ${expected}`).toBe(true);
  }
});

// The builds fit by maximising closed-form log-likelihoods with SciPy (fit_value_models)
// rather than through PyMC-Marketing's models, which take seconds to import and compile.
it("computes PyMC-Marketing's log-likelihood and finds its maximum", () => {
  for (const model of ['bgnbd', 'gamma_gamma'] as const) {
    const ours = result.log_likelihood[model];
    // PyMC's log-density of its model at our parameters: the same formula, to rounding.
    expect(Math.abs(result.pymc_log_likelihood_at_ours[model] - ours), model).toBeLessThan(1e-9 * Math.abs(ours));
    // Our maximum is at least as high as the one PyMC-Marketing's MAP fit found.
    expect(ours - result.log_likelihood_at_pymc_fit[model], model).toBeGreaterThan(-1e-9 * Math.abs(ours));
  }
  expect(Object.keys(result.parameters_relative_difference_from_pymc).sort()).toEqual(['a', 'alpha', 'b', 'p', 'q', 'r', 'v']);
  // The maximum is flat: our a is 1.2e-4 (relative) from PyMC-Marketing's at a log-likelihood 2e-7 higher.
  for (const [name, difference] of Object.entries(result.parameters_relative_difference_from_pymc)) expect(difference, name).toBeLessThan(1e-3);
});

// The builds predict with NumPy closed forms (predict_customer_value) rather than through
// PyMC-Marketing's models; on the same fit they must give PyMC-Marketing's numbers.
it('predicts with the closed forms what PyMC-Marketing predicts from the same fit', () => {
  const differences = result.predictions_relative_difference_from_pymc;
  expect(Object.keys(differences).sort()).toEqual(['expected_purchases', 'expected_spend_per_purchase', 'predicted_value', 'probability_alive']);
  for (const [column, difference] of Object.entries(differences)) expect(difference, column).toBeLessThan(1e-9);
});
