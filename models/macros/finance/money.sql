{#- Narrow types for what the marts sum. DuckDB's sum() of DECIMAL(18,2) is DECIMAL(38,2)
    and of an integer HUGEINT: 128-bit values, which DuckDB stores bit-packed and reads
    back about fifty times slower than 64-bit ones (a sum over the customer x month mart
    at 20,000 customers: 58 ms of CPU against 1.5 ms; docs/performance.md, "128-bit
    columns"). Every page query and later model scans these columns, so the marts store
    money as DECIMAL(18,2) (up to 9,999,999,999,999,999.99) and counts as BIGINT. A sum too
    large for them fails the build with DuckDB's conversion error instead of losing cents. -#}
{% macro money(expression) -%}
    cast({{ expression }} as decimal(18, 2))
{%- endmacro %}

{% macro whole_count(expression) -%}
    cast({{ expression }} as bigint)
{%- endmacro %}
