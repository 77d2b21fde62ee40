-- Grain: one offer e-mail sent to one contact that made the contact a lead (seed 000):
-- within var marketing.lead.click_window_days of the send the contact clicked one of
-- lead.trigger_link_ids, or at least lead.min_distinct_links different links. Campaign
-- types are lead.campaign_types. With the campaign, the links and the time of the
-- clicks, and what sales did about it within lead.follow_up_days of the first click:
-- the first CRM activity (type, salesperson, when), the opportunity opened then (its
-- stage now, amount, order) and the first delivered order after the click.
-- exclusion_reason (unsubscribed, bounced, no_email, no_consent) marks those not to be
-- e-mailed; sales may still call a lead, so they stay on the rows.
{%- set lead = var('marketing')['lead'] %}
{%- set trigger_links = lead['trigger_link_ids'] or [] %}
with sends as (
    select * from {{ ref('int_marketing__sends') }}
    where campaign_type in ({% for type in lead['campaign_types'] %}'{{ type }}'{{ ', ' if not loop.last }}{% endfor %})
),

clicks as (
    select
        sends.send_id,
        events.link_id,
        events.occurred_at
    from sends
    inner join {{ ref('stg_newsletter__events') }} as events using (send_id)
    where events.event_type = 'clicked'
      and events.occurred_at <= sends.sent_at + interval {{ lead['click_window_days'] }} day
),

clicked as (
    select
        send_id,
        count(distinct link_id) as distinct_links_clicked,
        list(distinct link_id order by link_id) as links_clicked,
        min(occurred_at) as first_clicked_at,
        max(occurred_at) as last_clicked_at,
        {%- if trigger_links %}
        bool_or(link_id in ({% for link in trigger_links %}'{{ link }}'{{ ', ' if not loop.last }}{% endfor %}))
        {%- else %}
        false
        {%- endif %} as clicked_trigger_link
    from clicks
    group by send_id
),

leads as (
    select sends.*, clicked.* exclude (send_id)
    from sends
    inner join clicked using (send_id)
    where clicked.clicked_trigger_link or clicked.distinct_links_clicked >= {{ lead['min_distinct_links'] }}
),

crm_contacts as (
    select record_id as contact_id, customer_id
    from {{ ref('int_identity_clusters') }}
    where source = 'crm' and entity = 'contacts'
),

first_activity as (
    select
        leads.send_id,
        activities.activity_type,
        activities.salesperson,
        activities.occurred_at
    from leads
    inner join crm_contacts on crm_contacts.customer_id = leads.customer_id
    inner join {{ ref('stg_crm__activities') }} as activities on activities.contact_id = crm_contacts.contact_id
    where activities.occurred_at >= leads.first_clicked_at
      and activities.occurred_at <= leads.first_clicked_at + interval {{ lead['follow_up_days'] }} day
    qualify row_number() over (partition by leads.send_id order by activities.occurred_at, activities.activity_id) = 1
),

first_opportunity as (
    select
        leads.send_id,
        opportunities.opportunity_id,
        opportunities.stage,
        opportunities.amount,
        opportunities.erp_order_id
    from leads
    inner join crm_contacts on crm_contacts.customer_id = leads.customer_id
    inner join {{ ref('stg_crm__opportunities') }} as opportunities on opportunities.contact_id = crm_contacts.contact_id
    where opportunities.opened_on >= cast(leads.first_clicked_at as date)
      and opportunities.opened_on <= cast(leads.first_clicked_at as date) + {{ lead['follow_up_days'] }}
    qualify row_number() over (partition by leads.send_id order by opportunities.opened_on, opportunities.opportunity_id) = 1
),

first_order as (
    select
        leads.send_id,
        orders.order_id,
        orders.ordered_on,
        orders.net_revenue
    from leads
    inner join (
        select customer_id, order_id, min(ordered_on) as ordered_on, {{ money('sum(net_revenue)') }} as net_revenue
        from {{ ref('fct_order_lines') }}
        group by customer_id, order_id
    ) as orders on orders.customer_id = leads.customer_id
    where orders.ordered_on >= cast(leads.first_clicked_at as date)
      and orders.ordered_on <= cast(leads.first_clicked_at as date) + {{ lead['follow_up_days'] }}
    qualify row_number() over (partition by leads.send_id order by orders.ordered_on, orders.order_id) = 1
)

select
    leads.send_id,
    leads.customer_id,
    customers.customer_name,
    customers.customer_type,
    customers.region,
    leads.subscriber_id,
    leads.campaign_id,
    leads.campaign_name,
    leads.sent_at,
    leads.first_clicked_at,
    leads.last_clicked_at,
    leads.distinct_links_clicked,
    array_to_string(leads.links_clicked, ', ') as links_clicked,
    case when leads.clicked_trigger_link then 'trigger_link' else 'distinct_links' end as lead_rule,
    first_activity.activity_type as follow_up_activity_type,
    first_activity.salesperson as follow_up_salesperson,
    first_activity.occurred_at as follow_up_at,
    first_activity.send_id is not null as has_sales_follow_up,
    first_opportunity.opportunity_id,
    first_opportunity.stage as opportunity_stage,
    first_opportunity.amount as opportunity_amount,
    coalesce(first_opportunity.erp_order_id, first_order.order_id) as order_id,
    first_order.ordered_on as ordered_on,
    first_order.net_revenue as order_revenue,
    case
        when first_order.order_id is not null then 'ordered'
        when first_opportunity.stage = 'lost' then 'lost'
        when first_opportunity.opportunity_id is not null then 'opportunity'
        when first_activity.send_id is not null then 'contacted'
        else 'not_followed_up'
    end as outcome,
    consent.exclusion_reason,
    consent.exclusion_reason is null as may_contact,
    leads.load_id,
    leads.source_file,
    leads.source_row
from leads
inner join {{ ref('dim_customers') }} as customers using (customer_id)
inner join {{ ref('int_marketing__consent') }} as consent using (customer_id)
left join first_activity using (send_id)
left join first_opportunity using (send_id)
left join first_order using (send_id)
