-- Grain: one resolved customer with sales or cost-to-serve over the whole history,
-- ranked by contribution margin, most profitable first: the customer profitability
-- distribution behind the "whale curve" (cumulative share of profit against cumulative
-- share of customers; it rises above 100 % while profitable customers are added and
-- falls back as the loss-makers come in). profitability_group cuts the ranking into
-- profitability_groups equal groups (deciles by default), 1 = most profitable; the number
-- and the top share come from dim_profitability_parameters, as the ranking cube reads them.
with customers as (
    select
        customer_id,
        {{ money('sum(net_revenue)') }} as net_revenue,
        {{ money('sum(cost_of_goods)') }} as cost_of_goods,
        {{ money('sum(gross_margin)') }} as gross_margin,
        {{ money('sum(cost_to_serve)') }} as cost_to_serve,
        {{ money('sum(contribution_margin)') }} as contribution_margin,
        {{ whole_count('sum(order_count)') }} as order_count
    from {{ ref('fct_customer_margin_monthly') }}
    group by customer_id
),

ranked as (
    select
        *,
        row_number() over (order by contribution_margin desc, customer_id) as profitability_rank,
        count(*) over () as customer_total,
        sum(contribution_margin) over () as contribution_margin_total,
        sum(contribution_margin) over (order by contribution_margin desc, customer_id rows unbounded preceding)
            as cumulative_contribution_margin
    from customers
)

select
    customer_id,
    net_revenue,
    cost_of_goods,
    gross_margin,
    cost_to_serve,
    contribution_margin,
    order_count,
    profitability_rank,
    customer_total,
    profitability_rank / customer_total as cumulative_customer_share,
    {{ money('cumulative_contribution_margin') }} as cumulative_contribution_margin,
    cumulative_contribution_margin / nullif(contribution_margin_total, 0) as cumulative_profit_share,
    ntile(parameters.profitability_groups) over (order by contribution_margin desc, customer_id) as profitability_group,
    profitability_rank <= ceil(customer_total * parameters.profitability_top_share) as is_in_top_share,
    contribution_margin < 0 as is_loss_making
from ranked
cross join {{ ref('dim_profitability_parameters') }} as parameters
