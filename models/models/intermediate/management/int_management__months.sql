-- Grain: one calendar month from the first to the last month with sales or cost-to-serve
-- (finance.fct_customer_margin_monthly). Every management figure is as of a month's end.
with bounds as (
    select min(month) as first_month, max(month) as last_month
    from {{ ref('fct_customer_margin_monthly') }}
)

select
    month::date as month,
    (month + interval 1 month - interval 1 day)::date as month_end,
    month::date = bounds.last_month as is_latest
from bounds
cross join generate_series(bounds.first_month, bounds.last_month, interval 1 month) as months(month)
