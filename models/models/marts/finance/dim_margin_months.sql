-- Grain: one calendar month in which any customer has sales or cost-to-serve (a month of
-- fct_customer_margin_monthly), the months the finance page offers. is_in_default_period
-- marks the page's default period: the last var default_period_months calendar months up
-- to the last month with data (the dashboard's defaultPeriod), the period whose ranking
-- fct_customer_profitability_default_period stores. The ranking cube compares an asked
-- period with it month by month (cube customer_profit_ranking).
{{ config(materialized='table') }}

with months as (
    select distinct month
    from {{ ref('fct_customer_margin_monthly') }}
),

last_month as (
    select max(month) as month from months
)

select
    months.month,
    months.month > last_month.month - to_months({{ var('default_period_months') }}) as is_in_default_period
from months
cross join last_month
order by months.month
