-- Grain: one resolved customer with sales or cost-to-serve in the finance page's default
-- period (the months dim_margin_months marks is_in_default_period: the last
-- var default_period_months months up to the last month with data), ranked by
-- contribution margin in that period exactly as the ranking cube ranks any asked period
-- (cube customer_profit_ranking): highest first, ties by customer id, cut into
-- dim_profitability_parameters' groups. The cube reads these ranks when a query asks this
-- period and no segment leaves a customer out; ranking the period's customer months on
-- each cold request took about 410 ms at 1,000,000 customers (docs/performance.md, "The
-- default period's ranking stored in the build").
{{ config(materialized='table') }}

with customer_margins as (
    select
        margins.customer_id,
        max(margins.month) as last_month,
        -- DECIMAL(18,2), 64 bits: the sum's own DECIMAL(38,2) took 47 ms to read back at
        -- 100,000 customers, this 1 ms (docs/performance.md, "128-bit columns in the marts").
        {{ money('sum(margins.contribution_margin)') }} as contribution_margin
    from {{ ref('fct_customer_margin_monthly') }} as margins
    where margins.month in (select month from {{ ref('dim_margin_months') }} where is_in_default_period)
    group by margins.customer_id
)

select
    customer_margins.customer_id,
    customer_margins.last_month,
    customer_margins.contribution_margin,
    row_number() over ranking as profit_rank,
    ntile(parameters.profitability_groups) over ranking as profit_decile,
    count(*) over (ranking rows between unbounded preceding and unbounded following) as ranked_customers
from customer_margins
cross join {{ ref('dim_profitability_parameters') }} as parameters
window ranking as (order by customer_margins.contribution_margin desc, customer_margins.customer_id)
-- In rank order, so a scan of the top of the ranking reads the first row groups.
order by profit_rank
