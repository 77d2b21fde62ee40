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
