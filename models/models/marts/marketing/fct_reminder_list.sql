-- Grain: one campaign e-mail (of a type in var marketing.reminder.campaign_types) sent
-- at least reminder.open_window_days before as_of, that the recipient did not open
-- within open_window_days of the send and that did not bounce: a reminder goes to them
-- (seed 000: "after a couple of days, to those who did not open the message").
-- exclusion_reason marks the recipients not to be e-mailed (unsubscribed, bounced,
-- no_email, no_consent).
--
-- Incremental (docs/performance.md), kept by send: a row follows from the send (with its
-- reactions and resolved customer), the customer's name, type, region and consent, and
-- as_of. So a build recomputes the sends written in int_marketing__sends since this list
-- was last built, the sends whose reminder day lies between the last build's as_of and
-- today's (they become due, or are no longer, when as_of moves back), and every send of
-- a customer whose name, type, region or exclusion reason is not the one on the built
-- rows (a customer merged away is gone from dim_customers). Each recomputed
-- send gets a marker row (built_as_of null) so that delete+insert removes its built row
-- when it is no longer on the list (opened, bounced, its campaign's type changed); a
-- post-hook deletes the markers (and, on the first build after this list became
-- incremental, the rows of the old table not written again) and the sends gone from
-- int_marketing__sends. Written whole, the list was 1.1 million rows every build at
-- 100,000 customers.
{{ config(
    materialized='incremental',
    unique_key='send_id',
    post_hook=[
        "delete from {{ this }} where built_as_of is null",
        "delete from {{ this }} where send_id not in (select send_id from {{ ref('int_marketing__sends') }})",
    ],
) }}
{%- set reminder = var('marketing')['reminder'] %}
{%- set incremental = is_incremental() and built_with_column('built_as_of') %}
{#- When the open window ends: the reminder's time, and its day (due once as_of reaches it). #}
{%- set remind_from = "sends.sent_at + interval " ~ reminder['open_window_days'] ~ " day" %}
{%- set remind_day = "cast(" ~ remind_from ~ " as date)" %}
with
{%- if incremental %}
built as (
    -- An empty list (nothing due yet) recomputes every send up to today's as_of.
    select {{ built_since_last_build() }} as built_at,
        (select coalesce(arg_max(built_as_of, built_at), date '1900-01-01') from {{ this }}) as as_of
),

-- Customers on the built rows whose list columns are no longer those (a customer gone
-- from dim_customers too). Another customer's columns do not matter: whether a send is on
-- the list follows from the send alone.
changed_customers as (
    select customer_id from (
        select distinct customer_id, customer_name, customer_type, region, exclusion_reason from {{ this }}
        except
        select customers.customer_id, customers.customer_name, customers.customer_type, customers.region, consent.exclusion_reason
        from {{ ref('dim_customers') }} as customers
        inner join {{ ref('int_marketing__consent') }} as consent using (customer_id)
    )
),

written as (
    select sends.send_id
    from {{ ref('int_marketing__sends') }} as sends
    cross join built
    cross join {{ ref('int_marketing__as_of') }} as as_of
    where sends.built_at > built.built_at
       or {{ remind_day }} between least(built.as_of, as_of.as_of) + 1 and greatest(built.as_of, as_of.as_of)
       or sends.customer_id in (select customer_id from changed_customers)
    union
    select send_id from {{ this }} where customer_id in (select customer_id from changed_customers)
),
{%- endif %}

sends as (
    select * from {{ ref('int_marketing__sends') }} {{ recomputed_only('send_id', 'written', incremental) }}
)

select
    sends.send_id,
    sends.customer_id,
    customers.customer_name,
    customers.customer_type,
    customers.region,
    sends.subscriber_id,
    sends.campaign_id,
    sends.campaign_name,
    sends.campaign_type,
    sends.sent_at,
    {{ remind_from }} as remind_from,
    sends.first_opened_at,
    consent.exclusion_reason,
    consent.exclusion_reason is null as may_contact,
    sends.load_id,
    sends.source_file,
    sends.source_row,
    as_of.as_of as built_as_of,
    {{ incremental_columns() }}
from sends
cross join {{ ref('int_marketing__as_of') }} as as_of
inner join {{ ref('dim_customers') }} as customers using (customer_id)
inner join {{ ref('int_marketing__consent') }} as consent using (customer_id)
where sends.campaign_type in ({% for type in reminder['campaign_types'] %}'{{ type }}'{{ ', ' if not loop.last }}{% endfor %})
  and sends.bounced_at is null
  and {{ remind_day }} <= as_of.as_of
  and (sends.first_opened_at is null or sends.first_opened_at > {{ remind_from }})
{%- if incremental %}

-- Markers (see above).
union all by name
select send_id from written
{%- endif %}
