{#- Raw tables keep every version of a record; staging wants the newest one per key. -#}
{% macro latest_version(relation, key_columns) -%}
select *
from {{ relation }}
qualify row_number() over (
    partition by {{ key_columns | join(', ') }}
    order by _load_id desc, _source_row desc
) = 1
{%- endmacro %}
