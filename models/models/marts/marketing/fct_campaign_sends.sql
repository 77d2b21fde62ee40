-- Grain: one campaign e-mail sent to one subscriber: the campaign funnel at its finest.
-- Flags for delivered, opened, clicked, unsubscribed and bounced, and converted = an
-- order attributed to this send. Attribution (last click): a delivered order is
-- attributed to the customer's last click on any campaign e-mail on or before the
-- order date and at most var marketing.funnel.conversion_window_days before it; its
-- net revenue and gross margin (after returns and credits, finance.fct_order_lines)
-- go to that send. An order is attributed to one send at most; orders without such a
-- click are not attributed. Summed over sends per campaign, and per any customer
-- attribute through the customer, this is the funnel per campaign and segment.
-- Incremental (docs/performance.md), kept by send but recomputed by customer: the
-- attribution of a customer's orders depends on that customer's sends, clicks and orders
-- only, so a build recomputes every send of the customers with a send written in
-- int_marketing__sends since this mart was last built (its customer then and now), with
-- an order line built since, or with an attributed order that is gone or now another
-- customer's. A post-hook deletes the sends gone from int_marketing__sends.
{{ config(
    materialized='incremental',
    unique_key='send_id',
    post_hook="delete from {{ this }} where send_id not in (select send_id from {{ ref('int_marketing__sends') }})",
) }}
{%- set window = var('marketing')['funnel']['conversion_window_days'] %}
{%- set incremental = is_incremental() and built_with_column('built_at') %}
with
{%- if incremental %}
written_sends as (
    select send_id, customer_id from {{ ref('int_marketing__sends') }}
    where built_at > {{ built_since_last_build() }}
),

built_orders as (
    select send_id, customer_id, unnest(string_split(attributed_order_ids, ', ')) as order_id
    from {{ this }}
    where attributed_order_ids is not null
),

-- The customers whose attribution can have changed (see above).
changed_customers as (
    select customer_id from written_sends
    union
    select built.customer_id from {{ this }} as built where built.send_id in (select send_id from written_sends)
    union
    select customer_id from {{ ref('fct_order_lines') }} where built_at > {{ built_since_last_build() }}
    union
    select built_orders.customer_id
    from built_orders
    where not exists (
        select 1 from {{ ref('fct_order_lines') }} as lines
        where lines.order_id = built_orders.order_id and lines.customer_id = built_orders.customer_id
    )
),
{%- endif %}

sends as (
    select * from {{ ref('int_marketing__sends') }} {{ recomputed_only('customer_id', 'changed_customers', incremental) }}
),

clicks as (
    select sends.send_id, sends.customer_id, events.occurred_at as clicked_at
    from sends
    inner join {{ ref('stg_newsletter__events') }} as events using (send_id)
    where events.event_type = 'clicked'
),

orders as (
    select
        customer_id,
        order_id,
        min(ordered_on) as ordered_on,
        sum(net_revenue) as net_revenue,
        sum(gross_margin) as gross_margin
    from {{ ref('fct_order_lines') }} {{ recomputed_only('customer_id', 'changed_customers', incremental) }}
    group by customer_id, order_id
),

attributed_orders as (
    select
        orders.order_id,
        orders.net_revenue,
        orders.gross_margin,
        clicks.send_id
    from orders
    inner join clicks
        on clicks.customer_id = orders.customer_id
        and cast(clicks.clicked_at as date) <= orders.ordered_on
        and cast(clicks.clicked_at as date) >= orders.ordered_on - {{ window }}
    qualify row_number() over (partition by orders.order_id order by clicks.clicked_at desc, clicks.send_id desc) = 1
),

attributed as (
    select
        send_id,
        count(*) as attributed_orders,
        {{ money('sum(net_revenue)') }} as attributed_revenue,
        {{ money('sum(gross_margin)') }} as attributed_gross_margin,
        list(order_id order by order_id) as attributed_order_ids
    from attributed_orders
    group by send_id
)

select
    sends.send_id,
    sends.campaign_id,
    sends.campaign_name,
    sends.campaign_type,
    sends.subscriber_id,
    sends.customer_id,
    sends.sent_at,
    sends.delivered_at is not null as is_delivered,
    sends.first_opened_at is not null as is_opened,
    sends.first_clicked_at is not null as is_clicked,
    sends.unsubscribed_at is not null as is_unsubscribed,
    sends.bounced_at is not null as is_bounced,
    attributed.send_id is not null as is_converted,
    coalesce(attributed.attributed_orders, 0) as attributed_orders,
    coalesce(attributed.attributed_revenue, 0) as attributed_revenue,
    coalesce(attributed.attributed_gross_margin, 0) as attributed_gross_margin,
    array_to_string(attributed.attributed_order_ids, ', ') as attributed_order_ids,
    sends.load_id,
    sends.source_file,
    sends.source_row,
    {{ incremental_columns() }}
from sends
left join attributed using (send_id)
