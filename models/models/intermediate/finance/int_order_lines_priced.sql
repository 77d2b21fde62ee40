-- One row per line of a delivered order, priced: list value, discount, net sales after
-- the discount (rounded to cents per line, the way the invoice rounds it) and the
-- product's unit cost valid on the order date, from the product's cost history.
-- Lines of cancelled orders are not sales and are left out. Returns and credit notes
-- are applied in int_order_line_adjustments.
-- A table kept incrementally, not a view: its readers (the adjustments, the order-line
-- fact, three data tests) each priced every line again, since DuckDB does not push their
-- filter on order_id through the ASOF join below. A line's price and cost depend only on
-- its order, its product and the product's costs, so a build recomputes the orders
-- touched since this table was last built (orders_touched_since, as the adjustments and
-- the fact) and replaces their lines (delete+insert by order_id). An order left with no
-- delivered line (cancelled) leaves a marker row (order_line_id null) that deletes its
-- old lines; the post-hook removes the marker.
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
    select * from {{ ref('stg_erp__order_lines') }}
    {{ recomputed_only('order_id', 'changed_orders', is_incremental()) }}
),

orders as (
    select * from {{ ref('stg_erp__orders') }}
    where status = 'delivered'
    {% if is_incremental() %}and order_id in (select order_id from changed_orders){% endif %}
),

products as (
    select * from {{ ref('stg_erp__products') }}
),

cost_history as (
    select * from {{ ref('stg_erp__product_costs') }}
),

ordered as (
    select
        lines.order_line_id,
        lines.order_id,
        lines.line_number,
        orders.erp_customer_number,
        orders.ordered_on,
        orders.channel,
        orders.salesperson,
        lines.product_id,
        products.product_name,
        products.product_group,
        lines.quantity,
        lines.unit_price,
        lines.discount_pct,
        products.unit_cost as current_unit_cost,
        lines.load_id,
        lines.source_file,
        lines.source_row
    from lines
    inner join orders on orders.order_id = lines.order_id
    inner join products on products.product_id = lines.product_id
),

-- The cost row in force on the order date: the latest valid_from on or before it.
costed as (
    select
        ordered.*,
        cost_history.unit_cost as historical_unit_cost,
        cost_history.valid_from as cost_valid_from
    from ordered
    asof left join cost_history
        on cost_history.product_id = ordered.product_id
        and cost_history.valid_from <= ordered.ordered_on
)

select
    order_line_id,
    order_id,
    line_number,
    erp_customer_number,
    ordered_on,
    channel,
    salesperson,
    product_id,
    product_name,
    product_group,
    quantity,
    unit_price,
    discount_pct,
    cast(round(quantity * unit_price, 2) as decimal(18, 2)) as list_value,
    cast(round(quantity * unit_price * (100 - discount_pct) * 0.01, 2) as decimal(18, 2)) as net_sales,
    -- Without a cost row in force on the order date (a sale before the product's cost
    -- history starts) the product's current cost is the best there is; cost_source says so.
    coalesce(historical_unit_cost, current_unit_cost) as unit_cost,
    cost_valid_from,
    case when historical_unit_cost is null then 'current_cost' else 'cost_history' end as cost_source,
    load_id,
    source_file,
    source_row,
    {{ incremental_columns() }}
from costed
{% if is_incremental() %}
-- Touched orders without delivered lines now: a marker that deletes their old lines.
{{ markers_for_keys_gone('order_id', 'changed_orders', 'costed') }}
{% endif %}
