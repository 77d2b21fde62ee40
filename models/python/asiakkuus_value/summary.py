"""The summary of each customer's purchase history that BG/NBD and Gamma-Gamma read.

Purchases on the same day are one purchase (the models count purchase occasions):
  frequency       repeat purchases: purchase days - 1
  recency         first to last purchase day, in time units
  T               first purchase day to the end of observation, in time units
  monetary_value  mean amount of the repeat purchases (the first one is left out, as in
                  Fader, Hardie and Lee); 0 without repeat purchases
"""

from __future__ import annotations

import duckdb

UNIT_DAYS = {"D": 1, "W": 7}


def purchase_summary(
    con: duckdb.DuckDBPyConnection,
    purchases: duckdb.DuckDBPyRelation,
    observation_end: str,
    time_unit: str,
) -> duckdb.DuckDBPyRelation:
    """purchases: one row per purchase with customer_id, purchased_on (DATE) and amount.
    Only purchases on or before observation_end (YYYY-MM-DD) count."""
    if time_unit not in UNIT_DAYS:
        raise ValueError(f"time unit {time_unit!r}: expected one of {sorted(UNIT_DAYS)}")
    unit = float(UNIT_DAYS[time_unit])
    return con.sql(
        """
        with days as (
            select customer_id, purchased_on, sum(amount) as amount
            from purchases
            where purchased_on <= $end::date
            group by customer_id, purchased_on
        ),
        ordered as (
            select *, row_number() over (partition by customer_id order by purchased_on) as occasion
            from days
        )
        select
            customer_id,
            count(*) - 1 as frequency,
            date_diff('day', min(purchased_on), max(purchased_on)) / $unit as recency,
            date_diff('day', min(purchased_on), $end::date) / $unit as "T",
            coalesce(avg(amount) filter (where occasion > 1), 0) as monetary_value,
            min(purchased_on) as first_purchase_on,
            max(purchased_on) as last_purchase_on
        from ordered
        group by customer_id
        """,
        params={"end": observation_end, "unit": unit},
    )
