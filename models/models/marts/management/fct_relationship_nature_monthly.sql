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
--   transaction price_driven: at least var transaction_min_discounted_share of the list
--               value bought in the window carried a price incentive (a discount; for a
--               business customer, one above its negotiated level): buys because it is cheap;
--   preference  repeat_buyer: at least var preference_min_orders orders over at least
--               var preference_min_purchase_months months of the window, mostly at full
--               price: buys from us whenever it can;
--   transaction one_off_buyer: everyone else who bought (one purchase in the window, or
--               several in one month): seed 002's one-time buyers, who make single
--               transactions.
-- The rule that decided and the evidence it looked at are on every row. A view: the
-- evidence is already a table, and fct_care_class_monthly keeps the result.
{%- set m = var('management') %}
with evidence as (
    select * from {{ ref('int_management__customer_month_evidence') }}
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
            when coalesce(discounted_share_in_window, 0) >= {{ m['transaction_min_discounted_share'] }} then 'price_driven'
            when orders_in_window >= {{ m['preference_min_orders'] }}
                and purchase_months_in_window >= {{ m['preference_min_purchase_months'] }} then 'repeat_buyer'
            else 'one_off_buyer'
        end as nature_rule
    from evidence
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
        when nature_rule = 'repeat_buyer' then 'preference'
        when nature_rule in ('price_driven', 'one_off_buyer') then 'transaction'
        else 'unknown'
    end as relationship_nature,
    nature_rule,
    -- The evidence the rules looked at.
    * exclude (customer_id, customer_type, month, month_end, is_latest, nature_rule)
from decided
