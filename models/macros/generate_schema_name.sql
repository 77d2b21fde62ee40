{#- Schemas are named exactly as configured (staging, intermediate, finance), not
    prefixed with the target schema, so the semantic layer can name them directly. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
