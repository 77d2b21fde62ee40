{#- Raw tables keep every version of a record; staging wants the newest one per key.
    _first_load_id is the load that first brought the record, so identity resolution
    can tell an old record from a newly arrived duplicate. One row per key by construction,
    so the staging models carry no `unique` test on that key: it could not fail, and each
    such test computed the view again (the newsletter events' took 46.8 s at 1,000,000
    customers). The unit test the_newest_version_of_an_event_wins checks the macro. -#}
{#- loaded_after (an incremental staging table's loads_since_last_build()): only the keys
    with a version in a later load, each with all its versions, so the newest version and
    the first load come out as they do over the whole table. -#}
{% macro latest_version(relation, key_columns, loaded_after=none) -%}
select
    *,
    min(_load_id) over (partition by {{ key_columns | join(', ') }}) as _first_load_id
from {{ relation }} as versions
{%- if loaded_after is not none %}
where exists (
    select 1 from {{ relation }} as newer
    where newer._load_id > {{ loaded_after }}
    {%- for key in key_columns %}
      and newer.{{ key }} = versions.{{ key }}
    {%- endfor %}
)
{%- endif %}
qualify row_number() over (
    partition by {{ key_columns | join(', ') }}
    order by _load_id desc, _source_row desc
) = 1
{%- endmacro %}

{#-
  The lineage columns every staging model passes on from its raw table: the load that
  brought the row's current version, its source file and row number, and with
  first_load=true also the load that first brought the row (identity resolution keeps
  the first-arrived record's id stable by it).
-#}
{% macro source_lineage_columns(first_load=false) -%}
    _load_id as load_id,
    {%- if first_load %}
    _first_load_id as first_load_id,
    {%- endif %}
    _source_file as source_file,
    _source_row as source_row
{%- endmacro %}

{#- Every version of every record (the contact-data history reads these), with the load
    that first brought the record, as latest_version gives it. -#}
{% macro all_versions(relation, key_columns) -%}
select
    *,
    min(_load_id) over (partition by {{ key_columns | join(', ') }}) as _first_load_id
from {{ relation }}
{%- endmacro %}

{#- The newest version per key of a staging model of all versions (load_id, source_row:
    the later load, then the later row, wins - as latest_version does on a raw table).
    One row per key as well, so no `unique` test on it either; the unit test
    the_newest_version_of_a_record_wins (staging/erp) checks it. -#}
{% macro newest_version(relation, key_columns) -%}
select *
from {{ relation }}
qualify row_number() over (
    partition by {{ key_columns | join(', ') }}
    order by load_id desc, source_row desc
) = 1
{%- endmacro %}
