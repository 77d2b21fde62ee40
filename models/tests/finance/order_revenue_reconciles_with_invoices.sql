-- Revenue reconciles with billing: for every order with an invoice, the invoiced net
-- amount less every credit note on its invoices equals the order's net revenue in
-- fct_order_lines plus the goods returned but not yet credited (the one reconciling
-- item: revenue is reduced at the return, billing at the credit note); 0 for an order
-- cancelled after invoicing (invoiced and credited in full, no lines). Returns the
-- orders that differ.
with credits as (
    select invoice_id, sum(net_amount) as credited
    from {{ ref('stg_billing__credit_notes') }}
    group by invoice_id
),

billed as (
    select invoices.order_id, sum(invoices.net_amount - coalesce(credits.credited, 0)) as billed_net
    from {{ ref('stg_billing__invoices') }} as invoices
    left join credits using (invoice_id)
    where invoices.order_id is not null
    group by invoices.order_id
),

recognised as (
    select
        order_id,
        sum(net_revenue) as net_revenue,
        sum(returns_amount) filter (where has_uncredited_return) as returned_not_credited
    from {{ ref('fct_order_lines') }}
    group by order_id
)

select billed.order_id, billed.billed_net, recognised.net_revenue, recognised.returned_not_credited
from billed
left join recognised using (order_id)
where billed.billed_net <> coalesce(recognised.net_revenue, 0) + coalesce(recognised.returned_not_credited, 0)
