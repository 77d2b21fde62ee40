"""The customer value models' fitted parameters (BG/NBD r, alpha, a, b; Gamma-Gamma p, q,
v), one row (model_name 'customer_value'), kept between builds so that a day's build
predicts with them instead of fitting again (the maximum-likelihood fit is most of
fct_customer_value's time; predicting every customer from kept parameters takes under a
second at 20,000 customers).

The parameters describe the whole customer base (how often customers buy, how soon they
drop out, how much they spend), which a day's orders hardly move. Fitted afresh
(asiakkuus_value.fit_value_models, on every customer's purchase summary) when:
  * the table is empty, or the settings the fit depends on changed (fingerprint: the
    time unit the histories are measured in, the minimum number of customers to fit);
  * the data's observation end (the last order date) is more than
    var customer_value.refit_after_days past the kept fit's;
  * no model was fitted (too few customers) and there now are enough;
  * a build asks: --vars '{customer_value_refit: true}' (npm run build:warehouse --
    --refit-value, ASIAKKUUS_VALUE_REFIT=1).
Kept through --full-refresh (full_refresh: false in the yml), as the identity model is:
a full build then predicts with the same parameters as the incremental builds did, and
gives the same fct_customer_value.
"""

from asiakkuus_common import config_flag
from asiakkuus_value import fit_value_models, not_fitted, purchase_summary

# Bump when the fitting itself changes (models, priors): the kept fit is then refitted.
FIT_VERSION = "1"


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="model_name")
    # Each config read on its own line: dbt finds the keys to pass by reading these calls.
    time_unit = str(dbt.config.get("customer_value_time_unit"))
    min_customers = int(dbt.config.get("customer_value_min_customers_to_fit"))
    refit_after_days = int(dbt.config.get("customer_value_refit_after_days"))
    refit = config_flag(dbt.config.get("refit"))
    fingerprint = f"v{FIT_VERSION}:unit={time_unit}:min_customers={min_customers}"

    lines = dbt.ref("fct_order_lines")
    observation_end, customers = session.sql(
        "select max(ordered_on), count(distinct customer_id) from lines").fetchone()
    if dbt.is_incremental and not refit:
        kept = session.sql(
            f"""select observation_end, bgnbd_r is not null from {dbt.this}
                where model_name = 'customer_value' and settings_fingerprint = ?""", params=[fingerprint]).fetchone()
        if kept is not None:
            kept_end, fitted = kept
            stale = observation_end is not None and kept_end is not None and (observation_end - kept_end).days > refit_after_days
            newly_fittable = not fitted and customers >= min_customers
            if not stale and not newly_fittable:
                # No row: delete+insert leaves the kept fit as it is.
                return session.sql(f"select * from {dbt.this} where false")

    purchases = session.sql(
        "select customer_id, ordered_on as purchased_on, sum(net_revenue) as amount from lines group by all")
    summary = purchase_summary(session, purchases, str(observation_end), time_unit).df()
    fitted = fit_value_models(summary) if len(summary) >= min_customers else not_fitted(summary)
    parameters = {
        **{f"bgnbd_{k}": fitted.bgnbd.get(k) for k in ("r", "alpha", "a", "b")},
        **{f"gamma_gamma_{k}": fitted.gamma_gamma.get(k) for k in ("p", "q", "v")},
    }
    columns = ",\n".join(f"${name}::double as {name}" for name in parameters)
    return session.sql(
        f"""select 'customer_value' as model_name, $fingerprint as settings_fingerprint,
                   $end::date as observation_end, $customers::integer as customers,
                   $repeat::integer as repeat_customers, current_timestamp::timestamp as fitted_at,
                   {columns}""",
        params={"fingerprint": fingerprint, "end": str(observation_end), "customers": fitted.customers,
                "repeat": fitted.repeat_customers, **parameters},
    )
