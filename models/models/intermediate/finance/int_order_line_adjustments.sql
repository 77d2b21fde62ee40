-- One row per line of a delivered order: what came back and what was credited on it.
-- * Credit notes naming the line (returns, in the sample) reduce that line.
-- * Goods returned but not (yet) credited reduce the line by their share of its net sales.
-- * Credit notes on the order's invoice that name no line (price corrections, goodwill
--   after a complaint) are spread over the order's lines in proportion to their net
--   sales; the rounding cents go to the last line, so the lines add up to the credit.
-- Credits of cancelled orders stay out: those orders have no lines here.
-- A table, not a view: its data tests each computed the view again (7 s of a day's build
-- at 20,000 customers against 1.5 s to compute it once; docs/performance.md).
-- Incremental (docs/performance.md): a line's adjustments depend only on its own order
-- (its lines, returns, credit notes and invoices), so a build recomputes the orders
-- touched since this table was last built (orders_touched_since, as fct_order_lines) and
-- replaces their lines (delete+insert by order_id). An order left with no delivered line
-- leaves a marker row (order_line_id null) that deletes its old lines; the post-hook
-- removes the marker.
{{ config(
    materialized='incremental',
    unique_key='order_id',
    post_hook=["delete from {{ this }} where order_line_id is null"],
) }}
with
{% if is_incremental() %}
changed_orders as (
    {{ orders_touched_since(loads_since_last_build()) }}
),
{% endif %}

lines as (
    select order_line_id, order_id, line_number, quantity, net_sales
    from {{ ref('int_order_lines_priced') }}
    {{ recomputed_only('order_id', 'changed_orders', is_incremental()) }}
),

returns as (
    select
        order_line_id,
        {{ whole_count('sum(quantity)') }} as returned_quantity,
        min(returned_on) as first_returned_on,
        string_agg(return_id, ',' order by return_id) as return_ids
    from {{ ref('stg_erp__returns') }}
    {{ recomputed_only('order_line_id', 'lines', is_incremental()) }}
    group by order_line_id
),

credit_notes as (
    select * from {{ ref('stg_billing__credit_notes') }}
),

order_invoices as (
    select invoice_id, order_id from {{ ref('stg_billing__invoices') }}
    where order_id is not null
    {% if is_incremental() %}and order_id in (select order_id from changed_orders){% endif %}
),

line_credits as (
    select
        order_line_id,
        sum(net_amount) as amount,
        string_agg(credit_note_id, ',' order by credit_note_id) as credit_note_ids
    from credit_notes
    where order_line_id is not null
    {% if is_incremental() %}and order_line_id in (select order_line_id from lines){% endif %}
    group by order_line_id
),

order_credits as (
    select
        order_invoices.order_id,
        sum(credit_notes.net_amount) as amount,
        string_agg(credit_notes.credit_note_id, ',' order by credit_notes.credit_note_id) as credit_note_ids
    from credit_notes
    inner join order_invoices using (invoice_id)
    where credit_notes.order_line_id is null
    group by order_invoices.order_id
),

invoices_of_order as (
    select order_id, string_agg(invoice_id, ',' order by invoice_id) as invoice_ids
    from order_invoices
    group by order_id
),

shared as (
    select
        lines.*,
        coalesce(order_credits.amount, 0) as order_credit,
        order_credits.credit_note_ids as order_credit_note_ids,
        -- An order whose lines are all free shares its credit equally.
        coalesce(
            lines.net_sales / nullif(sum(lines.net_sales) over by_order, 0),
            1.0 / count(*) over by_order
        ) as share_of_order,
        row_number() over (partition by lines.order_id order by lines.line_number desc) = 1 as is_last_line
    from lines
    left join order_credits using (order_id)
    window by_order as (partition by lines.order_id)
),

rounded as (
    select
        *,
        cast(round(order_credit * share_of_order, 2) as decimal(18, 2)) as rounded_credit
    from shared
),

allocated as (
    select
        *,
        case
            when is_last_line
                then order_credit - (sum(rounded_credit) over (partition by order_id) - rounded_credit)
            else rounded_credit
        end as order_credit_allocated
    from rounded
)

select
    allocated.order_line_id,
    -- Lets an incremental build ask for the lines of a few orders: a filter on the
    -- window's partition key reaches down through the windows above.
    allocated.order_id,
    least(coalesce(returns.returned_quantity, 0), allocated.quantity) as returned_quantity,
    returns.first_returned_on,
    returns.return_ids,
    cast(coalesce(
        line_credits.amount,
        round(allocated.net_sales * least(coalesce(returns.returned_quantity, 0), allocated.quantity) / allocated.quantity, 2)
    ) as decimal(18, 2)) as returns_amount,
    line_credits.credit_note_ids as line_credit_note_ids,
    cast(allocated.order_credit_allocated as decimal(18, 2)) as order_credits_amount,
    allocated.order_credit_note_ids,
    invoices_of_order.invoice_ids,
    line_credits.order_line_id is null and coalesce(returns.returned_quantity, 0) > 0 as has_uncredited_return,
    {{ incremental_columns() }}
from allocated
left join returns using (order_line_id)
left join line_credits using (order_line_id)
left join invoices_of_order using (order_id)
{% if is_incremental() %}
-- Touched orders without delivered lines now: a marker that deletes their old lines.
{{ markers_for_keys_gone('order_id', 'changed_orders', 'lines') }}
{% endif %}
