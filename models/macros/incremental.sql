{#
  Incremental builds (docs/performance.md). Every incremental fact row records the state
  it was computed from:
  * built_through_load_id: the latest load (raw.load_log) in the warehouse when the row
    was computed. A source row whose load_id is above a fact's highest
    built_through_load_id arrived after that fact was last built.
  * built_at: when the dbt run that computed the row started. A mart summed from a fact
    recomputes the months holding fact rows built after its own latest built_at.
  `npx dbt build --full-refresh` (npm run build:warehouse -- --full-refresh) rebuilds all.
#}

{% macro incremental_columns() -%}
    (select max(load_id) from {{ source('ingest', 'load_log') }}) as built_through_load_id,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) as built_at
{%- endmacro %}

{#- An incremental build's filter to the keys it recomputes: `where <column> in (select
    <column> from <keys>)`, with `keys` a CTE (or a query in parentheses) that has a column
    of that name; nothing in a full build, which reads every row. `qualified` names the
    column in the filtered query where it needs its table's name. -#}
{% macro recomputed_only(column, keys, incremental, qualified=none) -%}
    {%- if incremental %}where {{ qualified or column }} in (select {{ column }} from {{ keys }}){% endif -%}
{%- endmacro %}

{# True when {{ this }} already has the column: a table built before it was incremental
   has not, and is then recomputed whole (its columns are synced by on_schema_change). #}
{% macro built_with_column(column) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {{ return(column in (adapter.get_columns_in_relation(this) | map(attribute='name') | list)) }}
{%- endmacro %}

{# Loads above this arrived after {{ this }} was last built. #}
{% macro loads_since_last_build() -%}
    {%- if built_with_column('built_through_load_id') -%}
    (select coalesce(max(built_through_load_id), -1) from {{ this }})
    {%- else -%}
    -1
    {%- endif -%}
{%- endmacro %}

{# Fact rows built after this have not yet been summed into {{ this }}. #}
{% macro built_since_last_build() -%}
    {%- if built_with_column('built_at') -%}
    (select coalesce(max(built_at), timestamp '1900-01-01') from {{ this }})
    {%- else -%}
    timestamp '1900-01-01'
    {%- endif -%}
{%- endmacro %}

{#- A column whose type changed in an incremental model (on_schema_change='sync_all_columns',
    e.g. a sum narrowed from DECIMAL(38,2) to DECIMAL(18,2), macros/finance/money.sql) is
    altered with DuckDB's own ALTER ... SET DATA TYPE. dbt's default adds a column, updates
    it and drops the old one; DuckDB (1.3 and later, duckdb/duckdb#20570) refuses to commit
    an UPDATE and a DROP COLUMN of one table in one transaction, so every incremental build
    of a warehouse built before the change failed with "another transaction has altered
    this table". The one ALTER converts the values (or fails the build on a value too large
    for the new type) and commits with the model's delete+insert. -#}
{% macro duckdb__alter_column_type(relation, column_name, new_column_type) -%}
    {% call statement('alter_column_type') %}
        alter table {{ relation.render() }} alter column {{ adapter.quote(column_name) }} set data type {{ new_column_type }}
    {% endcall %}
{%- endmacro %}

{# Which records form each customer, as an order-free hash per customer_id: a customer
   that gained or lost a record (a merge, a split, a reviewer's decision) gets another
   hash. Stored on incremental rows as built_from_records_hash and compared at the next
   build (fct_customer_events, int_management__customer_month_evidence). #}
{% macro member_records_hash() -%}
    select customer_id, bit_xor(hash(record_key)) as built_from_records_hash
    from {{ ref('int_identity_clusters') }}
    group by customer_id
{%- endmacro %}

{#- The select of an incremental model (delete+insert by `key`) that computes rows afresh
    but writes only the rows that changed: those new or differing from the built row in
    any of `columns` (every column but the key and the built_* ones), and for each built
    key the build looked at and no longer computes, a marker row (only the key and the
    built_* columns set) that the model's post-hook deletes. `key` is a column or a list
    of columns. `recomputed` is the built rows the build looked at, every column (a query
    in parentheses over {{ this }}; all of {{ this }} by default); it must hold the built
    row of every key computed, or that row is written again although unchanged. For
    models that depend on too much to say which keys a day touched (a customer's
    identity evidence, golden record, profile), where rewriting the whole table cost
    more than computing it, and for those that recompute a day's share (the events a
    day's rows touch, the months a day's order lines fall in) of which few rows come out
    different.
    `columns` is checked against the built table: a column the table has and the list
    lacks would never be compared, so the build fails naming it; a listed column the
    table lacks yet (just added to the model) makes the build write every row, which
    on_schema_change='sync_all_columns' then stores. -#}
{% macro rows_that_differ(computed, key, columns, recomputed=none) -%}
    {%- set keys = [key] if key is string else key -%}
    {%- set incremental = is_incremental() -%}
    {%- set comparable = incremental -%}
    {%- if incremental and execute -%}
        {%- set built = adapter.get_columns_in_relation(this) | map(attribute='name') | reject('in', ['built_through_load_id', 'built_at']) | list -%}
        {%- set never_compared = built | reject('in', keys + columns) | list -%}
        {%- if never_compared -%}
            {{ exceptions.raise_compiler_error(this ~ ": rows_that_differ does not compare " ~ never_compared | join(', ') ~ "; add them to its columns") }}
        {%- endif -%}
        {%- set comparable = (keys + columns) | reject('in', built) | list | length == 0 -%}
    {%- endif %}
select {{ computed }}.*, {{ incremental_columns() }}
from {{ computed }}
{%- if incremental %}
left join {{ recomputed or this }} as built using ({{ keys | join(', ') }})
{%- if comparable %}
where built.{{ keys[0] }} is null
    or row({% for column in columns %}{{ computed }}.{{ column }}{{ ', ' if not loop.last }}{% endfor %})
        is distinct from row({% for column in columns %}built.{{ column }}{{ ', ' if not loop.last }}{% endfor %})
{%- endif %}
-- Built keys looked at and no longer computed: a marker that deletes them.
{{ markers_for_keys_gone(key, recomputed or this, computed) }}
{%- endif %}
{%- endmacro %}

{#- Keys an incremental build recomputed (`recomputed`: a relation or CTE with the key
    columns) that the computed rows no longer hold (an order no longer delivered, a
    record with no value left): a marker row each, with only the key (a column or a list
    of columns) and the built_* columns set, so that delete+insert removes the key's old
    rows; the model's post-hook then deletes the marker. Appended to the model's select. -#}
{% macro markers_for_keys_gone(key, recomputed, computed) -%}
{%- set keys = [key] if key is string else key %}
union all by name
select {% for column in keys %}recomputed.{{ column }}, {% endfor %}{{ incremental_columns() }}
from {{ recomputed }} as recomputed
anti join {{ computed }} as computed using ({{ keys | join(', ') }})
{%- endmacro %}
