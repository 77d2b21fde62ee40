{#- The orders whose delivered lines, prices, returns or credits can have changed since
    load `since` (a query giving one load id): a new or changed order, order line, return,
    credit note (by its line, or by the order's invoice when it names no line), invoice,
    product or product cost. Incremental models by order_id recompute these orders whole
    (int_order_line_adjustments, fct_order_lines); each passes its own watermark
    (loads_since_last_build()).
    Read from the raw tables, every version: a line, return, credit note or invoice moved
    to another order touches the order it left too, and a filter on the raw load id is
    cheap, where the staging views number every key's versions before any filter applies
    (0.15-0.3 s for each reading of the order lines at 100,000 customers). -#}
{% macro orders_touched_since(since) -%}
    {%- set loaded_since = '_load_id > ' ~ since %}
    {%- set lines = source('erp', 'order_lines') %}
    select order_id from {{ source('erp', 'orders') }} where {{ loaded_since }}
    union
    select order_id from {{ lines }} where {{ loaded_since }}
    union
    select order_id from {{ lines }}
    where order_line_id in (select order_line_id from {{ source('erp', 'returns') }} where {{ loaded_since }})
       or order_line_id in (select order_line_id from {{ source('billing', 'credit_notes') }} where {{ loaded_since }})
       -- A product's price or cost in force.
       or product_id in (
           select product_id from {{ source('erp', 'products') }} where {{ loaded_since }}
           union
           select product_id from {{ source('erp', 'product_costs') }} where {{ loaded_since }}
       )
    union
    -- An invoice, and a credit note naming only the order's invoice.
    select order_id from {{ source('billing', 'invoices') }}
    where order_id is not null
      and ({{ loaded_since }}
           or invoice_id in (select invoice_id from {{ source('billing', 'credit_notes') }} where {{ loaded_since }}))
{%- endmacro %}
