{#- Hellman maturity indicators: per indicator, the numerator and denominator each
    customer-month contributes (SQL over the columns of fct_care_class_monthly plus
    is_active, has_complete_contact_data and has_open_review). Shared by the indicator
    mart and the list of customers behind each indicator, so both count the same way. -#}
{% macro management_maturity_parts() -%}
{%- set parts = {
    'contact_data_complete': ['is_active and has_complete_contact_data', 'is_active'],
    'known_handler': ['is_active and has_known_handler', 'is_active'],
    'open_duplicate_reviews': ['is_active and has_open_review', 'is_active'],
    'targeted_send_share': ['targeted_sends', 'campaign_sends'],
    'campaign_response_rate': ['responded_sends', 'campaign_sends'],
    'retention_rate': ['orders_in_previous_window > 0 and orders_in_window > 0', 'orders_in_previous_window > 0'],
    'repeat_purchase_rate': ['orders_in_window >= 2', 'orders_in_window >= 1'],
    'long_relationship_revenue_share': ['case when relationship_months >= ' ~ var('management')['maturity']['long_relationship_months'] ~ ' then net_revenue_in_window else 0 end', 'net_revenue_in_window'],
    'care_plan_revenue_share': ['case when has_care_plan then net_revenue_in_window else 0 end', 'net_revenue_in_window'],
    'plan_revenue_attainment': ['case when has_care_plan then plan_revenue_year_to_date else 0 end', 'case when has_care_plan then plan_target_revenue * month(month) / 12.0 else 0 end'],
    'network_customer_share': ['is_active and (is_network_partner or is_shared_by_partner)', 'is_active'],
    'partner_referred_revenue_share': ['case when was_referred or is_shared_by_partner then net_revenue_in_window else 0 end', 'net_revenue_in_window'],
} %}
{{ return(parts) }}
{%- endmacro %}
