-- Grain: one resolved customer with a delivered order. preferred_channel = the order
-- channel (webshop, sales, store) of most of the customer's delivered orders; on a tie
-- the channel of the latest of them.
with orders as (
    select customer_id, order_id, any_value(channel) as channel, min(ordered_on) as ordered_on
    from {{ ref('fct_order_lines') }}
    where channel is not null
    group by customer_id, order_id
)

select customer_id, channel as preferred_channel, count(*) as orders_in_channel
from orders
group by customer_id, channel
qualify row_number() over (partition by customer_id order by count(*) desc, max(ordered_on) desc, channel) = 1
