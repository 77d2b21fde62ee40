-- Grain: one row. The profitability distribution's parameters (dbt vars
-- profitability_top_share and profitability_groups) as data, so that the semantic layer,
-- which ranks the customers of each asked period itself (cube customer_profit_ranking),
-- cuts the same top share and groups as fct_customer_profitability and the dashboard can
-- say which share it reports, without a second copy of the numbers.
{{ config(materialized='table') }}

select
    cast({{ var('profitability_top_share') }} as decimal(5, 4)) as profitability_top_share,
    cast({{ var('profitability_groups') }} as integer) as profitability_groups
