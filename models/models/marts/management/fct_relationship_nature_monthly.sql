{{ config(materialized='view') }}
-- Grain: one resolved customer x calendar month. The nature of the relationship (seed
-- 002, after Mäntyneva) as of the month's end: partner, contract, preference, transaction,
-- or unknown when the data is too thin to tell. The first rule that holds decides, in
-- this precedence:
--   partner     member of the partner network (both further each other's business), or
--               at least var partner_min_referrals referrals given;
--   contract    a contract in force at any time in the last var contract_lookback_months
--               (a contractual expression of will);
--   unknown     never bought (no_purchases), nothing bought in the evidence window
--               (no_recent_purchases), or known for fewer than var min_history_months
--               (too_short_history);
--   preference / transaction  for everyone else who bought, the evidence is weighed.
--               Each signal counts +1 for preference or -1 (transaction):
--                 regular      +1 at least var preference_min_orders_per_year orders a year
--                              over the relationship to date, else -1 (comes back / buys
--                              now and then);
--                 full price   +1 less than var transaction_min_discounted_share of the
--                              window's list value bought at a price incentive, else -1
--                              (buys because it is cheap);
--                 breadth      +1 bought from at least var preference_min_product_groups
--                              product groups to date (concentrates its purchases on us),
--                              nothing otherwise (a narrow need says nothing either way);
--                 attention    with at least var preference_min_campaign_sends campaign
--                              e-mails to date: +1 opened or clicked at least
--                              var preference_min_response_rate of them, else -1;
--                              nothing without e-mails.
--               More signals for than against (preference_score >= 1) is a preference
--               (preference_signals), otherwise a transaction (transaction_signals):
--               seed 002's one-time or price-led buyer is the default.
-- The rule that decided and the evidence it looked at are on every row. A view: the
-- evidence is already a table, and fct_care_class_monthly keeps the result.
{%- set m = var('management') %}
with evidence as (
    -- Less what records when the evidence was built (int_management__customer_month_evidence).
    select * exclude (built_from_records_hash, built_through_load_id, built_at)
    from {{ ref('int_management__customer_month_evidence') }}
),

-- The signals that weigh preference against transaction (+1 / -1 / 0 each).
signals as (
    select
        *,
        case when orders_per_year_to_date >= {{ m['preference_min_orders_per_year'] }} then 1 else -1 end as signal_regular,
        case when coalesce(discounted_share_in_window, 0) >= {{ m['transaction_min_discounted_share'] }} then -1 else 1 end as signal_full_price,
        case when product_groups_to_date >= {{ m['preference_min_product_groups'] }} then 1 else 0 end as signal_breadth,
        case
            when campaign_sends_to_date < {{ m['preference_min_campaign_sends'] }} then 0
            when campaign_response_rate_to_date >= {{ m['preference_min_response_rate'] }} then 1
            else -1
        end as signal_attention
    from evidence
),

weighed as (
    select *, signal_regular + signal_full_price + signal_breadth + signal_attention as preference_score
    from signals
),

decided as (
    select
        *,
        case
            when is_network_partner then 'partner_network_member'
            when referrals_given >= {{ m['partner_min_referrals'] }} then 'partner_referrals'
            when contracts_in_force > 0 then 'contract_in_force'
            when contracts_in_lookback > 0 then 'contract_recently_in_force'
            when first_purchase_on is null then 'no_purchases'
            when orders_in_window = 0 then 'no_recent_purchases'
            when history_months < {{ m['min_history_months'] }} then 'too_short_history'
            when preference_score >= 1 then 'preference_signals'
            else 'transaction_signals'
        end as nature_rule
    from weighed
)

select
    customer_id,
    customer_type,
    month,
    month_end,
    is_latest,
    case
        when nature_rule like 'partner_%' then 'partner'
        when nature_rule like 'contract_%' then 'contract'
        when nature_rule = 'preference_signals' then 'preference'
        when nature_rule = 'transaction_signals' then 'transaction'
        else 'unknown'
    end as relationship_nature,
    nature_rule,
    -- The evidence the rules looked at.
    * exclude (customer_id, customer_type, month, month_end, is_latest, nature_rule)
from decided
