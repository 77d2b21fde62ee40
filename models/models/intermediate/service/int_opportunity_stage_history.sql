-- Grain: one opportunity x pipeline stage it has reached (seed 003: identification ->
-- marketing -> offer_negotiation -> order), plus a row for 'lost'. The CRM export holds
-- only an opportunity's current stage and the day it changed; the raw table keeps every
-- version ever loaded, so each load of the export that saw a new stage adds the day it
-- was entered. The pipeline is ordered: an opportunity at a stage has passed every
-- earlier one. A lost opportunity reached the highest stage any version showed before
-- it was lost (at least identification). Entry days:
--   identification: the day the opportunity was opened;
--   a later stage: the earliest stage_changed_on of the versions showing it;
--   a stage passed between two loads of the export: unknown (null).
-- days_in_stage = the next reached stage's entry day - this stage's entry day when both
-- are known; for the current stage of an open opportunity, the days to as_of so far.
with versions as (
    select opportunity_id, stage, cast(stage_changed_on as date) as stage_changed_on, _load_id
    from {{ source('crm', 'opportunities') }}
),

stage_ranks as (
    select * from (values
        ('identification', 1), ('marketing', 2), ('offer_negotiation', 3), ('order', 4)
    ) as ranks(stage, stage_rank)
),

current_opportunities as (
    select
        opportunities.*,
        stage_ranks.stage_rank as current_rank
    from {{ ref('stg_crm__opportunities') }} as opportunities
    left join stage_ranks using (stage)
),

observed as (
    select versions.opportunity_id, stage_ranks.stage_rank, min(versions.stage_changed_on) as entered_on
    from versions
    inner join stage_ranks using (stage)
    group by all
),

reached_rank as (
    select
        current_opportunities.opportunity_id,
        greatest(1, coalesce(current_opportunities.current_rank, 0), coalesce(max(observed.stage_rank), 0)) as highest_rank
    from current_opportunities
    left join observed using (opportunity_id)
    group by current_opportunities.opportunity_id, current_opportunities.current_rank
),

reached as (
    select
        current_opportunities.opportunity_id,
        stage_ranks.stage,
        stage_ranks.stage_rank,
        case
            when stage_ranks.stage_rank = 1 then current_opportunities.opened_on
            when stage_ranks.stage_rank = current_opportunities.current_rank then current_opportunities.stage_changed_on
            else observed.entered_on
        end as entered_on,
        stage_ranks.stage_rank = current_opportunities.current_rank as is_current
    from current_opportunities
    inner join reached_rank using (opportunity_id)
    inner join stage_ranks on stage_ranks.stage_rank <= reached_rank.highest_rank
    left join observed
        on observed.opportunity_id = current_opportunities.opportunity_id and observed.stage_rank = stage_ranks.stage_rank

    union all

    select opportunity_id, 'lost', null, stage_changed_on, true
    from current_opportunities
    where stage = 'lost'
),

with_next as (
    select
        *,
        lead(entered_on) over (partition by opportunity_id order by coalesce(stage_rank, 99)) as left_on,
        lead(stage) over (partition by opportunity_id order by coalesce(stage_rank, 99)) as next_stage
    from reached
)

select
    with_next.opportunity_id,
    with_next.stage,
    with_next.stage_rank,
    with_next.entered_on,
    with_next.left_on,
    with_next.next_stage,
    with_next.is_current,
    case
        when with_next.next_stage is not null then with_next.left_on - with_next.entered_on
        when with_next.is_current and with_next.stage not in ('order', 'lost')
            then cast(as_of.as_of as date) - with_next.entered_on
    end as days_in_stage
from with_next
cross join {{ ref('int_service_as_of') }} as as_of
