{#- The money and count columns every margin mart sums from fct_order_lines, so each
    mart adds up the same way and reconciles with the line fact. -#}
{% macro order_line_totals() -%}
    count(distinct order_id) as order_count,
    count(*) as order_line_count,
    sum(quantity) as quantity,
    sum(returned_quantity) as returned_quantity,
    sum(list_value) as list_value,
    sum(discount_amount) as discount_amount,
    sum(net_sales) as net_sales,
    sum(returns_amount) as returns_amount,
    sum(order_credits_amount) as order_credits_amount,
    sum(net_revenue) as net_revenue,
    sum(cost_of_goods) as cost_of_goods,
    sum(gross_margin) as gross_margin,
    max(load_id) as latest_load_id
{%- endmacro %}
