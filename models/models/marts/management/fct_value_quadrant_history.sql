{{ config(
    materialized='incremental',
    unique_key=['customer_id', 'as_of_month'],
    post_hook=["delete from {{ this }} where as_of_month in (select as_of_month from {{ ref('fct_customer_portfolio') }})
                and customer_id not in (select customer_id from {{ ref('fct_customer_portfolio') }})"],
) }}
-- Grain: one resolved customer x month the value portfolio was decided for. The quadrant
-- (fct_customer_portfolio) rests on the potential value predicted by the build
-- (finance.fct_customer_value fits its models on the data up to the latest month), so a
-- past month's quadrant cannot be recomputed later without the hindsight of newer data:
-- each build adds the latest month's quadrants here and keeps the months before, as they
-- were decided. A rebuild of the same month replaces that month: delete+insert the
-- customers still in the portfolio, the post-hook those gone from it since (merged into
-- another). A full refresh starts the history again from the latest month
-- (docs/management.md).
select
    customer_id,
    as_of_month,
    value_quadrant,
    current_value,
    potential_value,
    current_value_cut,
    potential_value_cut,
    revenue_in_window,
    contribution_margin_in_window
from {{ ref('fct_customer_portfolio') }}
