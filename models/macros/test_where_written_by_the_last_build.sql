{#- The tests' `where` config: dbt's get_where_subquery with one placeholder more, the way
    dbt's documentation shows for custom placeholders.
    `__written_by_the_last_build__` narrows a uniqueness test of an incremental model to
    the rows its last build wrote (built_at, macros/incremental.sql). That checks the whole
    table: the model is delete+insert by a key among the test's columns, so each written
    row replaced every built row of its key and cannot repeat an older row's key, and the
    rows not written were unique before (every build was tested, and a failed build is
    never published). A full build writes every row and tests them all. At 1,000,000
    customers a day's build wrote few of the events' 44 million rows, yet grouped them all
    to find duplicates (docs/performance.md). The placeholder on a model that is not
    delete+insert incremental, or in a test whose columns lack part of the model's unique
    key, fails the build: there the written rows say nothing of the rest. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') or '' -%}
    {%- if '__written_by_the_last_build__' in where -%}
        {%- do written_rows_test_allowed() -%}
        {%- set where = where | replace('__written_by_the_last_build__', 'built_at = (select max(built_at) from ' ~ relation ~ ')') -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- Fails the compile unless the test's model is delete+insert incremental by a key the
    test's columns contain (see get_where_subquery). -#}
{% macro written_rows_test_allowed() -%}
    {%- if not execute -%}{%- do return(none) -%}{%- endif -%}
    {%- set tested = graph.nodes.get(model.attached_node) -%}
    {%- set arguments = model.test_metadata.kwargs -%}
    {%- set columns = arguments.get('columns') or [arguments.get('column_name')] -%}
    {%- set key = tested.config.unique_key if tested else none -%}
    {%- set keys = [key] if key is string else (key or []) -%}
    {%- if not tested or tested.config.materialized != 'incremental' or tested.config.incremental_strategy != 'delete+insert'
          or not keys or keys | reject('in', columns) | list -%}
        {{ exceptions.raise_compiler_error(model.name ~ ": __written_by_the_last_build__ needs a delete+insert incremental model whose unique key ("
            ~ (keys | join(', ') or 'none') ~ ") is among the test's columns (" ~ columns | join(', ') ~ ")") }}
    {%- endif -%}
{%- endmacro %}
