-- Grain: one event in a customer's history, from any source: purchases, cancellations,
-- returns, invoices, credit notes, payments, helpdesk cases, sales activities and
-- opportunities, campaign sends and reactions, survey answers and social mentions.
-- Each event keeps the source record it came from (source, source_entity, source_id)
-- and the load that brought it, so the history is traceable row by row.
-- is_contact marks interactions between a person of ours and the customer, which is
-- what "who talked to this customer last, about what, when" asks about.
-- Incremental (docs/performance.md), kept by event: an event follows from its source row,
-- the rows joined to it and the resolved customer of its record, so a build derives only
-- the events that can have changed since this table was last built:
-- * a version of the source row, or of a row joined to it, loaded since (an order's order
--   lines and the products they name, for its revenue; a return's order line and order;
--   a payment's invoice; a send's campaign; a reaction's send and campaign). The keys
--   are read from the raw tables, every version, so a row that moved (a line to another
--   order) touches the old key too;
-- * every event of every record of a customer whose member records changed
--   (built_from_records_hash, an order-free hash of the record keys, as in
--   int_management__customer_month_evidence): a merge, a split or a new record moves
--   events between customers, and both sides' hashes change.
-- Social mentions are derived in full: a handle's customer depends on every CRM contact
-- that claims it (a handle two customers claim links no one), and they are few.
-- Of the events derived, only those new or differing from the built row are written
-- (delete+insert by event_id). A built event whose source row or customer was looked at
-- but that is not derived again (an order whose status left delivered and cancelled, a
-- reaction changed to a delivery, a join that no longer matches) is replaced by a marker
-- row (source null) that deletes it and is then removed by the post-hook.
{{ config(
    materialized='incremental',
    unique_key='event_id',
    post_hook=["delete from {{ this }} where source is null"],
) }}
{%- set event_columns = ['customer_id', 'event_type', 'event_category', 'occurred_at', 'channel', 'handled_by', 'subject', 'amount',
    'is_contact', 'source', 'source_entity', 'source_id', 'load_id', 'source_file', 'source_row', 'built_from_records_hash'] %}
{#- A table built before built_from_records_hash derives every event once, and writes them all (the hash is new). -#}
{%- set incremental = is_incremental() and built_with_column('built_from_records_hash') %}
with customer_of_record as (
    select record_key, source, entity, record_id, customer_id from {{ ref('int_identity_clusters') }}
),

-- Which records form each customer, as an order-free hash (stored on every event of the
-- customer): a customer that gained or lost a record has all its events derived again.
member_records as (
    {{ member_records_hash() }}
),

{% if incremental %}
loaded_since as (
    select {{ loads_since_last_build() }} as load_id
),

-- Customers whose records are not the ones on their built events, either way: a merge
-- or a split changes both sides, a new record its customer (and a customer without
-- events is always here: it has nothing to derive).
-- (The built pairs are taken once: the table has millions of events, not 100,000 customers.)
built_customers as materialized (
    select customer_id, built_from_records_hash from {{ this }} group by all
),

changed_customers as (
    select distinct customer_id from (
        (select * from member_records except select * from built_customers)
        union all
        (select * from built_customers except select * from member_records)
    )
),

changed_records as (
    select source, entity, record_id
    from customer_of_record
    where customer_id in (select customer_id from changed_customers)
),

-- The keys whose events are derived: a version loaded since, a joined row loaded since
-- or a record of a changed customer. Read from the raw tables (every version).
{%- set since = '_load_id > (select load_id from loaded_since)' %}
{%- set changed_erp_customers = "(select record_id from changed_records where source = 'erp' and entity = 'customers')" %}
touched_lines as (
    select order_line_id, order_id from {{ source('erp', 'order_lines') }}
    where order_line_id in (select order_line_id from {{ source('erp', 'order_lines') }} where {{ since }})
       -- A product loaded for the first time prices its lines in (int_order_lines_priced joins it).
       or product_id in (
           select product_id from {{ source('erp', 'products') }}
           group by product_id having min(_load_id) > (select load_id from loaded_since)
       )
),

-- Orders loaded since or of a changed customer, and those of the touched lines.
changed_orders as (
    select order_id from {{ source('erp', 'orders') }}
    where {{ since }} or customer_id in {{ changed_erp_customers }}
    union
    select order_id from touched_lines
),

-- Returns loaded since, of a touched line, or of a line of a changed order.
touched_returns as (
    select return_id from {{ source('erp', 'returns') }}
    where {{ since }}
       or order_line_id in (select order_line_id from touched_lines)
       or order_line_id in (select order_line_id from {{ source('erp', 'order_lines') }} where order_id in (select order_id from changed_orders))
),

-- The changed orders, and every order that any version of a touched return's lines names
-- (any version of the return): a return reads its order's customer and channel, so its
-- order is derived with it.
touched_orders as (
    select order_id from changed_orders
    union
    select order_id from {{ source('erp', 'order_lines') }}
    where order_line_id in (
        select order_line_id from {{ source('erp', 'returns') }} where return_id in (select return_id from touched_returns)
    )
),

{#- The event sources keyed by the record they belong to: (source, table, key, record column, record source, record entity). -#}
{%- for source_name, table, key, column, record_source, record_entity in [
    ('billing', 'invoices', 'invoice_id', 'customer_id', 'erp', 'customers'),
    ('billing', 'credit_notes', 'credit_note_id', 'customer_id', 'erp', 'customers'),
    ('helpdesk', 'cases', 'case_id', 'requester_id', 'helpdesk', 'requesters'),
    ('crm', 'activities', 'activity_id', 'contact_id', 'crm', 'contacts'),
    ('crm', 'opportunities', 'opportunity_id', 'contact_id', 'crm', 'contacts'),
    ('newsletter', 'survey_answers', 'answer_id', 'subscriber_id', 'newsletter', 'subscribers'),
] %}
touched_{{ table }} as (
    select {{ key }} from {{ source(source_name, table) }}
    where {{ since }}
       or {{ column }} in (select record_id from changed_records where source = '{{ record_source }}' and entity = '{{ record_entity }}')
),
{% endfor %}
touched_payments as (
    select payment_id from {{ source('billing', 'payments') }}
    where {{ since }} or invoice_id in (select invoice_id from touched_invoices)
),

touched_sends as (
    select send_id from {{ source('newsletter', 'sends') }}
    where {{ since }}
       or campaign_id in (select campaign_id from {{ source('newsletter', 'campaigns') }} where {{ since }})
       or subscriber_id in (select record_id from changed_records where source = 'newsletter' and entity = 'subscribers')
),

touched_events as (
    select event_id from {{ source('newsletter', 'events') }}
    where {{ since }} or send_id in (select send_id from touched_sends)
),

-- Every event id looked at (whether or not it is still an event): a built event among
-- them that is not derived again is gone.
touched_event_ids as (
    {%- for source_name, table, key in [
        ('erp', 'orders', 'order_id'), ('erp', 'returns', 'return_id'), ('billing', 'invoices', 'invoice_id'),
        ('billing', 'credit_notes', 'credit_note_id'), ('billing', 'payments', 'payment_id'), ('helpdesk', 'cases', 'case_id'),
        ('crm', 'activities', 'activity_id'), ('crm', 'opportunities', 'opportunity_id'), ('newsletter', 'sends', 'send_id'),
        ('newsletter', 'events', 'event_id'), ('newsletter', 'survey_answers', 'answer_id'),
    ] %}
    select '{{ source_name }}.{{ table }}:' || {{ key }} as event_id from touched_{{ table }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),
{% endif %}

erp_customer as (
    select record_key, customer_id, record_id as erp_customer_number
    from customer_of_record
    where source = 'erp' and entity = 'customers'
),

order_revenue as (
    select order_id, {{ money('sum(net_sales)') }} as net_revenue
    from {{ ref('int_order_lines_priced') }}
    {% if incremental %}where order_id in (select order_id from touched_orders){% endif %}
    group by order_id
),

orders as (
    select orders.*, erp_customer.customer_id as golden_customer_id
    from {{ ref('stg_erp__orders') }} as orders
    inner join erp_customer on erp_customer.erp_customer_number = orders.erp_customer_number
    {% if incremental %}where orders.order_id in (select order_id from touched_orders){% endif %}
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
    {% if incremental %}where returns.return_id in (select return_id from touched_returns){% endif %}
),

invoices as (
    select
        erp_customer.customer_id, 'invoice', 'finance', cast(invoices.invoice_date as timestamp),
        null, null, 'Invoice ' || invoices.invoice_id, invoices.net_amount, false,
        'billing', 'invoices', invoices.invoice_id, invoices.load_id, invoices.source_file, invoices.source_row
    from {{ ref('stg_billing__invoices') }} as invoices
    inner join erp_customer on erp_customer.erp_customer_number = invoices.erp_customer_number
    {% if incremental %}where invoices.invoice_id in (select invoice_id from touched_invoices){% endif %}
),

credit_notes as (
    select
        erp_customer.customer_id, 'credit_note', 'finance', cast(credit_notes.issued_on as timestamp),
        null, null, 'Credit note ' || credit_notes.credit_note_id || ' (' || credit_notes.reason || ')', -credit_notes.net_amount, false,
        'billing', 'credit_notes', credit_notes.credit_note_id, credit_notes.load_id, credit_notes.source_file, credit_notes.source_row
    from {{ ref('stg_billing__credit_notes') }} as credit_notes
    inner join erp_customer on erp_customer.erp_customer_number = credit_notes.erp_customer_number
    {% if incremental %}where credit_notes.credit_note_id in (select credit_note_id from touched_credit_notes){% endif %}
),

payments as (
    select
        erp_customer.customer_id, 'payment', 'finance', cast(payments.paid_on as timestamp),
        null, null, 'Payment of invoice ' || payments.invoice_id, payments.amount, false,
        'billing', 'payments', payments.payment_id, payments.load_id, payments.source_file, payments.source_row
    from {{ ref('stg_billing__payments') }} as payments
    inner join {{ ref('stg_billing__invoices') }} as invoices using (invoice_id)
    inner join erp_customer on erp_customer.erp_customer_number = invoices.erp_customer_number
    {% if incremental %}where payments.payment_id in (select payment_id from touched_payments){% endif %}
),

helpdesk_cases as (
    select
        customer_of_record.customer_id, cases.case_type, 'service', cases.opened_at,
        cases.channel, cases.handled_by, cases.subject, null, true,
        'helpdesk', 'cases', cases.case_id, cases.load_id, cases.source_file, cases.source_row
    from {{ ref('stg_helpdesk__cases') }} as cases
    inner join customer_of_record on customer_of_record.source = 'helpdesk' and customer_of_record.entity = 'requesters' and customer_of_record.record_id = cases.requester_id
    {% if incremental %}where cases.case_id in (select case_id from touched_cases){% endif %}
),

sales_activities as (
    select
        customer_of_record.customer_id, 'sales_' || activities.activity_type, 'sales', activities.occurred_at,
        activities.activity_type, activities.salesperson, activities.subject, null, true,
        'crm', 'activities', activities.activity_id, activities.load_id, activities.source_file, activities.source_row
    from {{ ref('stg_crm__activities') }} as activities
    inner join customer_of_record on customer_of_record.source = 'crm' and customer_of_record.entity = 'contacts' and customer_of_record.record_id = activities.contact_id
    {% if incremental %}where activities.activity_id in (select activity_id from touched_activities){% endif %}
),

opportunities as (
    select
        customer_of_record.customer_id, 'opportunity_' || opportunities.stage, 'sales', cast(opportunities.stage_changed_on as timestamp),
        null, opportunities.salesperson, 'Opportunity ' || opportunities.opportunity_id || ': ' || opportunities.stage, opportunities.amount, false,
        'crm', 'opportunities', opportunities.opportunity_id, opportunities.load_id, opportunities.source_file, opportunities.source_row
    from {{ ref('stg_crm__opportunities') }} as opportunities
    inner join customer_of_record on customer_of_record.source = 'crm' and customer_of_record.entity = 'contacts' and customer_of_record.record_id = opportunities.contact_id
    {% if incremental %}where opportunities.opportunity_id in (select opportunity_id from touched_opportunities){% endif %}
),

campaign_sends as (
    select
        customer_of_record.customer_id, 'campaign_sent', 'marketing', sends.sent_at,
        'email', null, campaigns.campaign_name, null, false,
        'newsletter', 'sends', sends.send_id, sends.load_id, sends.source_file, sends.source_row
    from {{ ref('stg_newsletter__sends') }} as sends
    inner join {{ ref('stg_newsletter__campaigns') }} as campaigns using (campaign_id)
    inner join customer_of_record on customer_of_record.source = 'newsletter' and customer_of_record.entity = 'subscribers' and customer_of_record.record_id = sends.subscriber_id
    {% if incremental %}where sends.send_id in (select send_id from touched_sends){% endif %}
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
    {% if incremental %}and events.event_id in (select event_id from touched_events){% endif %}
),

survey_answers as (
    select
        customer_of_record.customer_id, 'survey_answer', 'marketing', answers.answered_at,
        'email', null, answers.question || ': ' || answers.answer, null, false,
        'newsletter', 'survey_answers', answers.answer_id, answers.load_id, answers.source_file, answers.source_row
    from {{ ref('stg_newsletter__survey_answers') }} as answers
    inner join customer_of_record on customer_of_record.source = 'newsletter' and customer_of_record.entity = 'subscribers' and customer_of_record.record_id = answers.subscriber_id
    {% if incremental %}where answers.answer_id in (select answer_id from touched_survey_answers){% endif %}
),

-- In full on every build (see the header).
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
        all_events.source || '.' || all_events.source_entity || ':' || all_events.source_id as event_id,
        all_events.*,
        member_records.built_from_records_hash
    from all_events
    left join member_records using (customer_id)
)

-- Of the events derived, those new or differing from the built row; a marker for each
-- built event looked at (touched, of a changed customer, or social; every one, in a build
-- that derives every event) and not derived again.
{%- set looked_at = "(select * from " ~ this ~ " where event_id in (select event_id from touched_event_ids)"
    ~ " or customer_id in (select customer_id from changed_customers) or source = 'social')" %}
{{ rows_that_differ('events', 'event_id', event_columns, recomputed=looked_at if incremental else none) }}
