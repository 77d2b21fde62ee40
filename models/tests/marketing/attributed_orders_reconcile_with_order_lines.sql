-- The revenue and margin attributed to campaign e-mails are exactly those of the orders
-- named on the sends, each order once, summed from finance.fct_order_lines to the cent.
with attributed as (
    select
        sum(attributed_revenue) as revenue,
        sum(attributed_gross_margin) as gross_margin,
        sum(attributed_orders) as orders
    from {{ ref('fct_campaign_sends') }}
),

named as (
    select distinct trim(order_id) as order_id
    from {{ ref('fct_campaign_sends') }},
        unnest(string_split(attributed_order_ids, ',')) as ids(order_id)
    where attributed_order_ids is not null
),

lines as (
    select
        coalesce(sum(net_revenue), 0) as revenue,
        coalesce(sum(gross_margin), 0) as gross_margin,
        count(distinct order_id) as orders
    from {{ ref('fct_order_lines') }}
    where order_id in (select order_id from named)
)

select *
from attributed, lines
where coalesce(attributed.revenue, 0) <> lines.revenue
   or coalesce(attributed.gross_margin, 0) <> lines.gross_margin
   or coalesce(attributed.orders, 0) <> lines.orders
