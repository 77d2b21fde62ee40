-- Grain: one helpdesk case (inquiry, warranty, billing matter or complaint), joined to
-- its resolved customer. First-response and resolution time in calendar hours and in
-- business hours (macro business_hours_between, calendar in var('service')); the SLA
-- (var('service').sla_hours, counted on var('service').sla_clock) is met when the first
-- response came within it, breached when it came later or has not come and the case is
-- already older than the SLA, and pending while an unanswered case is still within it.
-- Open cases (not closed) are aged to int_service_as_of.as_of.
-- Row-level access: handled_by (the helpdesk agent of the case) and account_owner (the
-- salesperson who owns the customer in the CRM).
{%- set service = var('service') %}
{%- set sla_hours = service['sla_hours'] %}
{%- set business_clock = service['sla_clock'] == 'business' %}
{%- set buckets = service['open_case_age_buckets_hours'] %}
with cases as (
    select * from {{ ref('stg_helpdesk__cases') }}
),

as_of as (
    select as_of from {{ ref('int_service_as_of') }}
),

customer_of_requester as (
    select record_id as requester_id, customer_id from {{ ref('int_identity_clusters') }}
    where source = 'helpdesk' and entity = 'requesters'
),

timed as (
    select
        cases.*,
        customer_of_requester.customer_id,
        as_of.as_of,
        cases.closed_at is null as is_open,
        cases.first_response_at is null as is_unanswered,
        epoch(cases.first_response_at - cases.opened_at) / 3600.0 as response_hours,
        {{ business_hours_between('cases.opened_at', 'cases.first_response_at') }} as response_business_hours,
        epoch(cases.closed_at - cases.opened_at) / 3600.0 as resolution_hours,
        {{ business_hours_between('cases.opened_at', 'cases.closed_at') }} as resolution_business_hours,
        -- How long the case has waited so far: to its first response, or to as_of while unanswered.
        epoch(coalesce(cases.first_response_at, as_of.as_of) - cases.opened_at) / 3600.0 as waiting_hours,
        {{ business_hours_between('cases.opened_at', 'coalesce(cases.first_response_at, as_of.as_of)') }} as waiting_business_hours,
        case when cases.closed_at is null then epoch(as_of.as_of - cases.opened_at) / 3600.0 end as open_age_hours
    from cases
    cross join as_of
    left join customer_of_requester on customer_of_requester.requester_id = cases.requester_id
),

judged as (
    select
        *,
        {%- if business_clock %}
        waiting_business_hours as sla_clock_hours,
        {%- else %}
        waiting_hours as sla_clock_hours,
        {%- endif %}
        case
            when not is_unanswered and {{ 'waiting_business_hours' if business_clock else 'waiting_hours' }} <= {{ sla_hours }} then 'met'
            when {{ 'waiting_business_hours' if business_clock else 'waiting_hours' }} > {{ sla_hours }} then 'breached'
            else 'pending'
        end as sla_status
    from timed
)

select
    judged.case_id,
    judged.customer_id,
    customers.customer_name,
    customers.customer_type,
    customers.region,
    customers.account_owner,
    judged.handled_by,
    judged.case_type,
    judged.case_type = 'complaint' as is_complaint,
    judged.channel,
    judged.subject,
    judged.erp_order_id,
    judged.opened_at,
    cast(judged.opened_at as date) as opened_on,
    judged.first_response_at,
    judged.closed_at,
    judged.is_open,
    judged.is_unanswered,
    round(judged.response_hours, 2) as response_hours,
    round(judged.response_business_hours, 2) as response_business_hours,
    round(judged.resolution_hours, 2) as resolution_hours,
    round(judged.resolution_business_hours, 2) as resolution_business_hours,
    round(judged.sla_clock_hours, 2) as sla_clock_hours,
    {{ sla_hours }} as sla_hours,
    '{{ service['sla_clock'] }}' as sla_clock,
    judged.sla_status,
    judged.sla_status = 'met' as is_sla_met,
    judged.sla_status = 'breached' as is_sla_breached,
    round(judged.open_age_hours, 2) as open_age_hours,
    -- Age bucket of an open case: bucket n (1, 2, ...) holds ages above the (n-1)-th and
    -- up to the n-th bound of var('service').open_case_age_buckets_hours; the last bucket
    -- has no upper bound. Null for a closed case.
    case
        when not judged.is_open then null
        {%- for bound in buckets %}
        when judged.open_age_hours <= {{ bound }} then {{ loop.index }}
        {%- endfor %}
        else {{ buckets | length + 1 }}
    end as open_age_bucket,
    case
        when not judged.is_open then null
        {%- for bound in buckets %}
        when judged.open_age_hours <= {{ bound }} then {{ bound }}
        {%- endfor %}
    end as open_age_bucket_upper_hours,
    case
        when not judged.is_open then null
        {%- for bound in buckets %}
        when judged.open_age_hours <= {{ bound }} then {{ 0 if loop.first else buckets[loop.index0 - 1] }}
        {%- endfor %}
        else {{ buckets[-1] }}
    end as open_age_bucket_lower_hours,
    judged.as_of,
    judged.load_id,
    judged.source_file,
    judged.source_row
from judged
left join {{ ref('int_customer_account_owner') }} as customers using (customer_id)
