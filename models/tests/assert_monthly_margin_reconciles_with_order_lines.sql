-- The monthly customer mart must add up to the order-line fact to the cent.
with lines as (
    select sum(net_revenue) as revenue, sum(cost_of_goods) as cost, sum(gross_margin) as margin
    from {{ ref('fct_order_lines') }}
),

monthly as (
    select sum(net_revenue) as revenue, sum(cost_of_goods) as cost, sum(gross_margin) as margin
    from {{ ref('fct_customer_margin_monthly') }}
)

select *
from lines cross join monthly
where lines.revenue is distinct from monthly.revenue
   or lines.cost is distinct from monthly.cost
   or lines.margin is distinct from monthly.margin
