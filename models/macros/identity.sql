{#-
  Survivorship for one golden attribute: among a customer's member records that have a
  value, the one from the best-ranked source (catalogue: customer_attribute_masters)
  wins, and among equal ranks the most recently updated. So a lower-ranked source
  never overwrites the master's value, while a newer value from the master does.
  Returns the winning columns plus <attribute>_source, _record_key and _load_id.
-#}
{% macro surviving_attribute(attribute, value_columns, has_value) -%}
select
    members.customer_id,
    {%- for column in value_columns %}
    members.{{ column }},
    {%- endfor %}
    members.source as {{ attribute }}_source,
    members.record_key as {{ attribute }}_record_key,
    members.load_id as {{ attribute }}_load_id
from members
left join masters
    on masters.attribute = '{{ attribute }}' and masters.source = members.source
where {{ has_value }}
qualify row_number() over (
    partition by members.customer_id
    order by coalesce(masters.rank, 1000000), members.updated_at desc nulls last, members.record_key
) = 1
{%- endmacro %}

{#- The golden record's columns besides its key and build stamps, in its order: the columns
    int_customer_golden_record compares with its built rows (rows_that_differ), and the
    first of those dim_customers compares, which carries them on. -#}
{% macro golden_record_columns() -%}
    {{ return([
        'erp_customer_number', 'customer_type', 'company_name', 'first_name', 'last_name',
        'customer_name', 'email', 'phone', 'street_address', 'postal_code', 'city',
        'source_record_count', 'source_record_keys', 'first_load_id', 'last_load_id',
        'name_source', 'name_record_key', 'name_load_id', 'company_name_source',
        'company_name_record_key', 'company_name_load_id', 'customer_type_source',
        'customer_type_record_key', 'customer_type_load_id', 'email_source', 'email_record_key',
        'email_load_id', 'phone_source', 'phone_record_key', 'phone_load_id', 'address_source',
        'address_record_key', 'address_load_id'
    ]) }}
{%- endmacro %}
