-- Every margin mart adds up to the order-line fact to the cent, per customer, per
-- product and per month; and the customer mart's cost-to-serve to the cost events.
-- Returns one row per mart and key where they differ.
with lines_by_customer_month as (
    select customer_id, order_month as month, sum(net_revenue) as net_revenue, sum(cost_of_goods) as cost_of_goods, sum(gross_margin) as gross_margin
    from {{ ref('fct_order_lines') }}
    group by all
),

lines_by_product_month as (
    select product_id, order_month as month, sum(net_revenue) as net_revenue, sum(cost_of_goods) as cost_of_goods, sum(gross_margin) as gross_margin
    from {{ ref('fct_order_lines') }}
    group by all
),

cost_by_customer_month as (
    select customer_id, cost_month as month, sum(cost_to_serve) as cost_to_serve
    from {{ ref('fct_cost_to_serve') }}
    group by all
),

customer_product_by_customer_month as (
    select customer_id, order_month as month, sum(net_revenue) as net_revenue, sum(cost_of_goods) as cost_of_goods, sum(gross_margin) as gross_margin
    from {{ ref('fct_customer_product_margin_monthly') }}
    group by all
),

customer_months as (
    select customer_id, month, net_revenue, cost_of_goods, gross_margin, cost_to_serve
    from {{ ref('fct_customer_margin_monthly') }}
)

select 'fct_customer_margin_monthly' as mart, coalesce(l.customer_id, m.customer_id) as key, coalesce(l.month, m.month) as month
from lines_by_customer_month as l
full outer join customer_months as m using (customer_id, month)
where coalesce(l.net_revenue, 0) <> m.net_revenue
   or coalesce(l.cost_of_goods, 0) <> m.cost_of_goods
   or coalesce(l.gross_margin, 0) <> m.gross_margin

union all

select 'fct_customer_margin_monthly.cost_to_serve', coalesce(c.customer_id, m.customer_id), coalesce(c.month, m.month)
from cost_by_customer_month as c
full outer join customer_months as m using (customer_id, month)
where coalesce(c.cost_to_serve, 0) <> coalesce(m.cost_to_serve, 0)

union all

select 'fct_customer_product_margin_monthly', coalesce(l.customer_id, p.customer_id), coalesce(l.month, p.month)
from lines_by_customer_month as l
full outer join customer_product_by_customer_month as p using (customer_id, month)
where l.net_revenue is distinct from p.net_revenue
   or l.cost_of_goods is distinct from p.cost_of_goods
   or l.gross_margin is distinct from p.gross_margin

union all

select 'fct_product_margin_monthly', coalesce(l.product_id, p.product_id), coalesce(l.month, p.order_month)
from lines_by_product_month as l
full outer join {{ ref('fct_product_margin_monthly') }} as p
    on p.product_id = l.product_id and p.order_month = l.month
where l.net_revenue is distinct from p.net_revenue
   or l.cost_of_goods is distinct from p.cost_of_goods
   or l.gross_margin is distinct from p.gross_margin
