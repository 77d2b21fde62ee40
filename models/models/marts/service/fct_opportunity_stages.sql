-- Grain: one opportunity x pipeline stage it reached (int_opportunity_stage_history),
-- with the opportunity's salesperson, customer and cohort month: the sales funnel
-- (opportunities reaching each stage), stage-to-stage conversion (reaching the next
-- stage / reaching this one) and time in stage. Row-level access: salesperson and
-- account_owner, as in fct_opportunities.
select
    history.opportunity_id || ':' || history.stage as opportunity_stage_id,
    history.opportunity_id,
    history.stage,
    history.stage_rank,
    history.entered_on,
    history.left_on,
    history.next_stage,
    history.is_current,
    history.days_in_stage,
    -- Reached the next stage of the pipeline (not lost, not the last stage).
    history.next_stage is not null and history.next_stage <> 'lost' as moved_on,
    opportunities.salesperson,
    opportunities.account_owner,
    opportunities.customer_id,
    opportunities.customer_name,
    opportunities.outcome,
    opportunities.opened_month,
    opportunities.amount
from {{ ref('int_opportunity_stage_history') }} as history
inner join {{ ref('fct_opportunities') }} as opportunities using (opportunity_id)
