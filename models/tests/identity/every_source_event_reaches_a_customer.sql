-- No event is lost on the way to the customer history: every source row that is an
-- event (a delivered or cancelled order, a return, an invoice, a case, an activity,
-- a campaign send ...) appears in fct_customer_events exactly once. Social mentions are
-- the exception by design: only those whose handle is tied to a customer belong to one;
-- the rest wait in identity_review_queue. Returns the entities whose counts differ.
with expected as (
    select 'erp.orders' as entity, count(*) as source_rows from {{ ref('stg_erp__orders') }}
    union all select 'erp.returns', count(*) from {{ ref('stg_erp__returns') }}
    union all select 'billing.invoices', count(*) from {{ ref('stg_billing__invoices') }}
    union all select 'billing.credit_notes', count(*) from {{ ref('stg_billing__credit_notes') }}
    union all select 'billing.payments', count(*) from {{ ref('stg_billing__payments') }}
    union all select 'helpdesk.cases', count(*) from {{ ref('stg_helpdesk__cases') }}
    union all select 'crm.activities', count(*) from {{ ref('stg_crm__activities') }}
    union all select 'crm.opportunities', count(*) from {{ ref('stg_crm__opportunities') }}
    union all select 'newsletter.sends', count(*) from {{ ref('stg_newsletter__sends') }}
    union all select 'newsletter.events', count(*) from {{ ref('stg_newsletter__events') }} where event_type <> 'delivered'
    union all select 'newsletter.survey_answers', count(*) from {{ ref('stg_newsletter__survey_answers') }}
    union all
    select 'social.mentions', count(*)
    from {{ ref('stg_social__mentions') }}
    where handle_std in (select handle_std from {{ ref('int_social_handle_links') }})
),

found as (
    select source || '.' || source_entity as entity, count(*) as history_rows
    from {{ ref('fct_customer_events') }}
    group by all
)

select expected.entity, expected.source_rows, coalesce(found.history_rows, 0) as history_rows
from expected
left join found using (entity)
where expected.source_rows <> coalesce(found.history_rows, 0)
