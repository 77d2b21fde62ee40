{#-
  The customer-record contract: which entities are customer records and which of their
  columns hold each standard attribute, as the source catalogue declares it
  (ingest/sources.yml, customer_record; written by every ingest into
  raw.catalogue_customer_records). Returns {(source, entity): {attribute: column}}, the
  column as the entity's staging model names it (the catalogue's staged_as where staging
  renames a source column); empty while dbt only parses.
-#}
{% macro customer_record_mappings() -%}
    {%- set mappings = {} -%}
    {%- if execute -%}
        {%- set rows = run_query("select source, entity, attribute, staging_column from " ~ source('catalogue', 'customer_records') ~ " order by source, entity, attribute") -%}
        {%- for row in rows -%}
            {%- set key = row[0] ~ '.' ~ row[1] -%}
            {%- if key not in mappings -%}{%- do mappings.update({key: {'source': row[0], 'entity': row[1], 'columns': {}}}) -%}{%- endif -%}
            {%- do mappings[key]['columns'].update({row[2]: row[3]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(mappings) }}
{%- endmacro %}
