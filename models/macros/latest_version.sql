{#- Raw tables keep every version of a record; staging wants the newest one per key.
    _first_load_id is the load that first brought the record, so identity resolution
    can tell an old record from a newly arrived duplicate. -#}
{% macro latest_version(relation, key_columns) -%}
select
    *,
    min(_load_id) over (partition by {{ key_columns | join(', ') }}) as _first_load_id
from {{ relation }}
qualify row_number() over (
    partition by {{ key_columns | join(', ') }}
    order by _load_id desc, _source_row desc
) = 1
{%- endmacro %}
