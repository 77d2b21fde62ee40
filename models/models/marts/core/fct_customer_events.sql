-- Grain: one event in a customer's history, from any source: purchases, cancellations,
-- returns, invoices, credit notes, payments, helpdesk cases, sales activities and
-- opportunities, campaign sends and reactions, survey answers and social mentions.
-- Each event keeps the source record it came from (source, source_entity, source_id)
-- and the load that brought it, so the history is traceable row by row.
-- is_contact marks interactions between a person of ours and the customer, which is
-- what "who talked to this customer last, about what, when" asks about.
-- Incremental (docs/performance.md): a build writes only the events that are new or
-- differ from the built ones (delete+insert by event_id); an event gone from the sources
-- (an order cancelled after delivery) leaves a marker row (source null) that deletes it
-- and is then removed by the post-hook. Events are still all derived on every build;
-- only the write is incremental.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_id',
    on_schema_change='sync_all_columns',
    post_hook=["delete from {{ this }} where source is null"],
) }}
{%- set event_columns = ['customer_id', 'event_type', 'event_category', 'occurred_at', 'channel', 'handled_by', 'subject', 'amount',
    'is_contact', 'source', 'source_entity', 'source_id', 'load_id', 'source_file', 'source_row'] %}
with customer_of_record as (
    select record_key, source, entity, record_id, customer_id from {{ ref('int_identity_clusters') }}
),

erp_customer as (
    select record_key, customer_id, record_id as erp_customer_number
    from customer_of_record
    where source = 'erp' and entity = 'customers'
),

order_revenue as (
    select order_id, {{ money('sum(net_sales)') }} as net_revenue
    from {{ ref('int_order_lines_priced') }}
    group by order_id
),

orders as (
    select orders.*, erp_customer.customer_id as golden_customer_id
    from {{ ref('stg_erp__orders') }} as orders
    inner join erp_customer on erp_customer.erp_customer_number = orders.erp_customer_number
),

purchases as (
    select
        orders.golden_customer_id as customer_id,
        'purchase' as event_type,
        'purchase' as event_category,
        cast(orders.ordered_on as timestamp) as occurred_at,
        orders.channel,
        orders.salesperson as handled_by,
        'Order ' || orders.order_id as subject,
        order_revenue.net_revenue as amount,
        false as is_contact,
        'erp' as source, 'orders' as source_entity, orders.order_id as source_id,
        orders.load_id, orders.source_file, orders.source_row
    from orders
    left join order_revenue using (order_id)
    where orders.status = 'delivered'
),

cancellations as (
    select
        golden_customer_id, 'cancellation', 'purchase', cast(coalesce(cancelled_on, ordered_on) as timestamp),
        channel, salesperson, 'Order ' || order_id || ' cancelled', null, false,
        'erp', 'orders', order_id, load_id, source_file, source_row
    from orders
    where status = 'cancelled'
),

returns as (
    select
        orders.golden_customer_id, 'return', 'purchase', cast(returns.returned_on as timestamp),
        orders.channel, null, 'Return of ' || returns.quantity || ' x ' || lines.product_id || coalesce(' (' || returns.reason || ')', ''),
        null, false,
        'erp', 'returns', returns.return_id, returns.load_id, returns.source_file, returns.source_row
    from {{ ref('stg_erp__returns') }} as returns
    inner join {{ ref('stg_erp__order_lines') }} as lines using (order_line_id)
    inner join orders on orders.order_id = lines.order_id
),

invoices as (
    select
        erp_customer.customer_id, 'invoice', 'finance', cast(invoices.invoice_date as timestamp),
        null, null, 'Invoice ' || invoices.invoice_id, invoices.net_amount, false,
        'billing', 'invoices', invoices.invoice_id, invoices.load_id, invoices.source_file, invoices.source_row
    from {{ ref('stg_billing__invoices') }} as invoices
    inner join erp_customer on erp_customer.erp_customer_number = invoices.erp_customer_number
),

credit_notes as (
    select
        erp_customer.customer_id, 'credit_note', 'finance', cast(credit_notes.issued_on as timestamp),
        null, null, 'Credit note ' || credit_notes.credit_note_id || ' (' || credit_notes.reason || ')', -credit_notes.net_amount, false,
        'billing', 'credit_notes', credit_notes.credit_note_id, credit_notes.load_id, credit_notes.source_file, credit_notes.source_row
    from {{ ref('stg_billing__credit_notes') }} as credit_notes
    inner join erp_customer on erp_customer.erp_customer_number = credit_notes.erp_customer_number
),

payments as (
    select
        erp_customer.customer_id, 'payment', 'finance', cast(payments.paid_on as timestamp),
        null, null, 'Payment of invoice ' || payments.invoice_id, payments.amount, false,
        'billing', 'payments', payments.payment_id, payments.load_id, payments.source_file, payments.source_row
    from {{ ref('stg_billing__payments') }} as payments
    inner join {{ ref('stg_billing__invoices') }} as invoices using (invoice_id)
    inner join erp_customer on erp_customer.erp_customer_number = invoices.erp_customer_number
),

helpdesk_cases as (
    select
        customer_of_record.customer_id, cases.case_type, 'service', cases.opened_at,
        cases.channel, cases.handled_by, cases.subject, null, true,
        'helpdesk', 'cases', cases.case_id, cases.load_id, cases.source_file, cases.source_row
    from {{ ref('stg_helpdesk__cases') }} as cases
    inner join customer_of_record on customer_of_record.source = 'helpdesk' and customer_of_record.entity = 'requesters' and customer_of_record.record_id = cases.requester_id
),

sales_activities as (
    select
        customer_of_record.customer_id, 'sales_' || activities.activity_type, 'sales', activities.occurred_at,
        activities.activity_type, activities.salesperson, activities.subject, null, true,
        'crm', 'activities', activities.activity_id, activities.load_id, activities.source_file, activities.source_row
    from {{ ref('stg_crm__activities') }} as activities
    inner join customer_of_record on customer_of_record.source = 'crm' and customer_of_record.entity = 'contacts' and customer_of_record.record_id = activities.contact_id
),

opportunities as (
    select
        customer_of_record.customer_id, 'opportunity_' || opportunities.stage, 'sales', cast(opportunities.stage_changed_on as timestamp),
        null, opportunities.salesperson, 'Opportunity ' || opportunities.opportunity_id || ': ' || opportunities.stage, opportunities.amount, false,
        'crm', 'opportunities', opportunities.opportunity_id, opportunities.load_id, opportunities.source_file, opportunities.source_row
    from {{ ref('stg_crm__opportunities') }} as opportunities
    inner join customer_of_record on customer_of_record.source = 'crm' and customer_of_record.entity = 'contacts' and customer_of_record.record_id = opportunities.contact_id
),

campaign_sends as (
    select
        customer_of_record.customer_id, 'campaign_sent', 'marketing', sends.sent_at,
        'email', null, campaigns.campaign_name, null, false,
        'newsletter', 'sends', sends.send_id, sends.load_id, sends.source_file, sends.source_row
    from {{ ref('stg_newsletter__sends') }} as sends
    inner join {{ ref('stg_newsletter__campaigns') }} as campaigns using (campaign_id)
    inner join customer_of_record on customer_of_record.source = 'newsletter' and customer_of_record.entity = 'subscribers' and customer_of_record.record_id = sends.subscriber_id
),

campaign_reactions as (
    select
        customer_of_record.customer_id, 'campaign_' || events.event_type, 'marketing', events.occurred_at,
        'email', null, campaigns.campaign_name || coalesce(' / link ' || events.link_id, ''), null, false,
        'newsletter', 'events', events.event_id, events.load_id, events.source_file, events.source_row
    from {{ ref('stg_newsletter__events') }} as events
    inner join {{ ref('stg_newsletter__sends') }} as sends using (send_id)
    inner join {{ ref('stg_newsletter__campaigns') }} as campaigns on campaigns.campaign_id = sends.campaign_id
    inner join customer_of_record on customer_of_record.source = 'newsletter' and customer_of_record.entity = 'subscribers' and customer_of_record.record_id = sends.subscriber_id
    where events.event_type <> 'delivered'
),

survey_answers as (
    select
        customer_of_record.customer_id, 'survey_answer', 'marketing', answers.answered_at,
        'email', null, answers.question || ': ' || answers.answer, null, false,
        'newsletter', 'survey_answers', answers.answer_id, answers.load_id, answers.source_file, answers.source_row
    from {{ ref('stg_newsletter__survey_answers') }} as answers
    inner join customer_of_record on customer_of_record.source = 'newsletter' and customer_of_record.entity = 'subscribers' and customer_of_record.record_id = answers.subscriber_id
),

social_mentions as (
    select
        links.customer_id, 'social_mention', 'social', mentions.posted_at,
        mentions.channel, null, left(mentions.text, 200), null, false,
        'social', 'mentions', mentions.mention_id, mentions.load_id, mentions.source_file, mentions.source_row
    from {{ ref('stg_social__mentions') }} as mentions
    inner join {{ ref('int_social_handle_links') }} as links using (handle_std)
),

all_events as (
    select * from purchases
    union all select * from cancellations
    union all select * from returns
    union all select * from invoices
    union all select * from credit_notes
    union all select * from payments
    union all select * from helpdesk_cases
    union all select * from sales_activities
    union all select * from opportunities
    union all select * from campaign_sends
    union all select * from campaign_reactions
    union all select * from survey_answers
    union all select * from social_mentions
),

events as (
    select
        source || '.' || source_entity || ':' || source_id as event_id,
        *
    from all_events
)

select events.*, {{ incremental_columns() }}
from events
{% if is_incremental() %}
left join {{ this }} as built using (event_id)
where built.event_id is null
    or row({% for column in event_columns %}events.{{ column }}{{ ', ' if not loop.last }}{% endfor %})
        is distinct from row({% for column in event_columns %}built.{{ column }}{{ ', ' if not loop.last }}{% endfor %})

union all by name
select event_id, {{ incremental_columns() }}
from {{ this }}
where event_id not in (select event_id from events)
{% endif %}
