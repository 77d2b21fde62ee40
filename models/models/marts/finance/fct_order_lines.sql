-- Grain: one line of a delivered order. The atomic fact every margin figure rolls up
-- from. Returns and credit notes are matched to the line they belong to and counted in
-- the order's month, so a month's figures change when a later credit arrives. Keeps the
-- source file, row and load of the line, and the ids of the returns, credit notes and
-- invoices applied to it, so any number traces back to its rows.
-- customer_id is the resolved customer (dim_customers); erp_customer_number the number the
-- order was booked to.
-- Incremental (docs/performance.md): a build recomputes the orders touched since the last
-- build (a new or changed order, line, return, credit note, invoice, product or product
-- cost, or an ERP customer number now resolved to another customer) and replaces all
-- their lines (delete+insert by order_id). An order that no longer has delivered lines
-- leaves a marker row (order_line_id null) that deletes its old lines and is then
-- removed by the post-hook.
{{ config(
    materialized='incremental',
    unique_key='order_id',
    post_hook=["delete from {{ this }} where order_line_id is null"],
) }}
with customer_of_erp_number as (
    select record_id as erp_customer_number, customer_id
    from {{ ref('int_identity_clusters') }}
    where source = 'erp' and entity = 'customers'
),

{% if is_incremental() %}
changed_orders as (
    {{ orders_touched_since(loads_since_last_build()) }}
    union
    -- Identity moved the order's customer number to another customer.
    select built.order_id
    from {{ this }} as built
    left join customer_of_erp_number using (erp_customer_number)
    where customer_of_erp_number.customer_id is distinct from built.customer_id
),
{% endif %}

priced as (
    select * from {{ ref('int_order_lines_priced') }}
    {% if is_incremental() %}where order_id in (select order_id from changed_orders){% endif %}
),

adjustments as (
    select * from {{ ref('int_order_line_adjustments') }}
    {% if is_incremental() %}where order_id in (select order_id from changed_orders){% endif %}
),

valued as (
    select
        priced.*,
        adjustments.returned_quantity,
        adjustments.returns_amount,
        adjustments.order_credits_amount,
        priced.net_sales - adjustments.returns_amount - adjustments.order_credits_amount as net_revenue,
        -- Restocked returns reverse their cost of goods with the revenue.
        {% if var('returned_goods_restocked') %}
        priced.quantity - adjustments.returned_quantity
        {% else %}
        priced.quantity
        {% endif %} as costed_quantity,
        adjustments.return_ids,
        adjustments.line_credit_note_ids,
        adjustments.order_credit_note_ids,
        adjustments.invoice_ids,
        adjustments.has_uncredited_return
    from priced
    inner join adjustments using (order_line_id)
)

select
    valued.order_line_id,
    valued.order_id,
    valued.line_number,
    customer_of_erp_number.customer_id,
    valued.erp_customer_number,
    valued.product_id,
    valued.product_name,
    valued.product_group,
    valued.ordered_on,
    date_trunc('month', valued.ordered_on)::date as order_month,
    valued.channel,
    valued.salesperson,
    valued.quantity,
    valued.returned_quantity,
    valued.unit_price,
    valued.discount_pct,
    valued.list_value,
    valued.list_value - valued.net_sales as discount_amount,
    valued.net_sales,
    valued.returns_amount,
    valued.order_credits_amount,
    valued.net_revenue,
    valued.unit_cost,
    valued.cost_valid_from,
    valued.cost_source,
    cast(valued.costed_quantity * valued.unit_cost as decimal(18, 2)) as cost_of_goods,
    valued.net_revenue - cast(valued.costed_quantity * valued.unit_cost as decimal(18, 2)) as gross_margin,
    valued.invoice_ids,
    valued.return_ids,
    valued.line_credit_note_ids,
    valued.order_credit_note_ids,
    valued.has_uncredited_return,
    valued.load_id,
    valued.source_file,
    valued.source_row,
    {{ incremental_columns() }}
from valued
inner join customer_of_erp_number using (erp_customer_number)
{% if is_incremental() %}
-- Changed orders without delivered lines now: a marker that deletes their old lines.
{{ markers_for_keys_gone('order_id', 'changed_orders', 'valued') }}
{% endif %}
