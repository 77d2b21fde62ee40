{#- The money and count columns every margin mart sums from fct_order_lines, so each
    mart adds up the same way and reconciles with the line fact. Stored narrow (money.sql). -#}
{% macro order_line_totals() -%}
    count(distinct order_id) as order_count,
    count(*) as order_line_count,
    {{ whole_count('sum(quantity)') }} as quantity,
    {{ whole_count('sum(returned_quantity)') }} as returned_quantity,
    {{ money('sum(list_value)') }} as list_value,
    {{ money('sum(discount_amount)') }} as discount_amount,
    {{ money('sum(net_sales)') }} as net_sales,
    {{ money('sum(returns_amount)') }} as returns_amount,
    {{ money('sum(order_credits_amount)') }} as order_credits_amount,
    {{ money('sum(net_revenue)') }} as net_revenue,
    {{ money('sum(cost_of_goods)') }} as cost_of_goods,
    {{ money('sum(gross_margin)') }} as gross_margin,
    max(load_id) as latest_load_id
{%- endmacro %}
