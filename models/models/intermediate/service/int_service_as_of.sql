-- Grain: one row. The moment open cases are aged to and open opportunities are
-- measured at: var('service').as_of when set, otherwise the latest moment in the
-- service and sales data (helpdesk cases, CRM activities and opportunities, social
-- mentions), so rebuilding the same exports gives the same ages.
{%- set configured = var('service')['as_of'] %}
{%- if configured %}
select cast('{{ configured }}' as timestamp) as as_of
{%- else %}
select greatest(
    (select max(greatest(opened_at, coalesce(first_response_at, opened_at), coalesce(closed_at, opened_at))) from {{ ref('stg_helpdesk__cases') }}),
    (select max(occurred_at) from {{ ref('stg_crm__activities') }}),
    (select cast(max(stage_changed_on) as timestamp) from {{ ref('stg_crm__opportunities') }}),
    (select max(posted_at) from {{ ref('stg_social__mentions') }})
) as as_of
{%- endif %}
