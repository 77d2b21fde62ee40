"""Grain: one resolved customer with at least one purchase. What the customer has been
worth (tenure, purchases, recency, average order margin, lifetime margins) and is
expected to be worth: BG/NBD (purchases, probability of being alive) and Gamma-Gamma
(spend per purchase) fitted by maximum likelihood on every customer's history
(models/python/asiakkuus_value, validated on CDNOW), predicting the discounted value of
the next var('customer_value').horizon_months months.

The fit is int_customer_value_fit's, kept between builds and refitted when the data has
moved on (docs/performance.md); this model predicts every customer from it on every
build (each customer's age T grows with the observation end, so every prediction
changes daily; predicting is cheap, fitting is not).

predicted_revenue_value is expected net revenue; predicted_margin_value turns it into
gross margin at the customer's own historical margin %. The observation ends on the
last order date in the data. The fitted parameters are kept on every row
(model_bgnbd_r, ..., and model_observation_end, the observation end of the data they were
fitted on) so a prediction can be traced to the fit that made it.
"""

# models/python is on PYTHONPATH (pipeline/dbt.ts).
from asiakkuus_value import kept_value_models, predict_customer_value, purchase_summary


def model(dbt, session):
    dbt.config(materialized="table")

    # The customer_value vars, handed over as config (dbt_project.yml) since Python
    # models cannot read vars; they arrive as text.
    time_unit = str(dbt.config.get("customer_value_time_unit"))
    horizon_months = int(dbt.config.get("customer_value_horizon_months"))
    annual_discount_rate = float(dbt.config.get("customer_value_annual_discount_rate"))

    lines = dbt.ref("fct_order_lines")
    profitability = dbt.ref("fct_customer_profitability")
    observation_end = str(session.sql("select max(ordered_on) from lines").fetchone()[0])
    purchases = session.sql(
        "select customer_id, ordered_on as purchased_on, sum(net_revenue) as amount from lines group by all"
    )
    summary = purchase_summary(session, purchases, observation_end, time_unit).df()
    fit = dbt.ref("int_customer_value_fit").filter("model_name = 'customer_value'").select(
        "bgnbd_r, bgnbd_alpha, bgnbd_a, bgnbd_b, gamma_gamma_p, gamma_gamma_q, gamma_gamma_v, observation_end").fetchone()
    bgnbd = dict(zip(("r", "alpha", "a", "b"), fit[:4])) if fit is not None and fit[0] is not None else {}
    gamma_gamma = dict(zip(("p", "q", "v"), fit[4:7])) if fit is not None and fit[4] is not None else {}
    fitted_through = str(fit[7]) if fit is not None and bgnbd else None
    fitted = kept_value_models(summary, bgnbd, gamma_gamma)
    predictions = predict_customer_value(fitted, summary, horizon_months, annual_discount_rate, time_unit)

    params = {
        **{f"model_bgnbd_{k}": fitted.bgnbd.get(k) for k in ("r", "alpha", "a", "b")},
        **{f"model_gamma_gamma_{k}": fitted.gamma_gamma.get(k) for k in ("p", "q", "v")},
    }
    param_columns = ",\n".join(f"${name}::double as {name}" for name in params)
    return session.sql(
        f"""
        select
            summary.customer_id,
            summary.first_purchase_on,
            summary.last_purchase_on,
            date_diff('day', summary.first_purchase_on, $end::date) as tenure_days,
            date_diff('day', summary.last_purchase_on, $end::date) as days_since_last_purchase,
            summary.frequency + 1 as purchase_count,
            profitability.order_count,
            profitability.net_revenue as lifetime_net_revenue,
            profitability.gross_margin as lifetime_gross_margin,
            profitability.cost_to_serve as lifetime_cost_to_serve,
            profitability.contribution_margin as lifetime_contribution_margin,
            profitability.gross_margin / profitability.order_count as average_order_margin,
            margin.historical_margin_ratio,
            summary.frequency,
            summary.recency,
            summary."T",
            summary.monetary_value,
            predictions.probability_alive,
            predictions.expected_purchases,
            predictions.expected_spend_per_purchase,
            predictions.predicted_value as predicted_revenue_value,
            predictions.predicted_value * coalesce(margin.historical_margin_ratio, 0) as predicted_margin_value,
            $end::date as observation_end,
            $horizon::integer as horizon_months,
            $rate::double as annual_discount_rate,
            $unit as time_unit,
            {param_columns},
            $fitted_through::date as model_observation_end
        from summary
        inner join predictions using (customer_id)
        -- Every customer with a purchase is in the profitability mart (whole history).
        inner join profitability using (customer_id)
        cross join lateral (
            select profitability.gross_margin / nullif(profitability.net_revenue, 0) as historical_margin_ratio
        ) as margin
        """,
        params={"end": observation_end, "fitted_through": fitted_through, "horizon": horizon_months, "rate": annual_discount_rate, "unit": time_unit, **params},
    )
