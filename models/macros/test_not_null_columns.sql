{#- Generic test: none of the given columns holds a null. One query (one scan) and one
    dbt node per model, where dbt's not_null is one of each per column: dbt's cost per
    node was more than half of a small company's build (246 not_null nodes over 84
    models, docs/performance.md). Returns one row per column that has nulls, naming it;
    the test's failure count is the number of null values, as the column tests' was. -#}
{% test not_null_columns(model, columns) %}
{{ config(fail_calc = 'coalesce(sum(null_values), 0)') }}
select column_name, null_values
from (
    select
    {%- for column in columns %}
        count(*) filter (where {{ adapter.quote(column) }} is null) as {{ adapter.quote(column) }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ model }}
) unpivot (null_values for column_name in ({% for column in columns %}{{ adapter.quote(column) }}{{ ', ' if not loop.last }}{% endfor %}))
where null_values > 0
{% endtest %}
