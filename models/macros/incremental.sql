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
