-- Grain: one referral in the partner network database (network.referrals): who brought
-- whom, when, through which partner, and what the referred customer has been worth
-- since: net revenue and gross margin of their delivered orders on or after the
-- referral day (finance.fct_order_lines, after returns and credits). The referred
-- customer is found by ERP customer number, else by e-mail (a prospect known by address
-- only); a referral whose person has not become a customer has no referred_customer_id
-- and no value yet.
with erp_numbers as (
    select record_id as erp_customer_number, customer_id
    from {{ ref('int_identity_clusters') }}
    where source = 'erp' and entity = 'customers'
),

referrals as (
    select
        referrals.*,
        -- The address looked up only for a referral without a customer number. Kept as a
        -- join key (null otherwise) rather than a condition on the referral in the join:
        -- with that condition DuckDB compared every referral with every address (a
        -- nested-loop join, 73-128 s at 1,000,000 customers instead of a hash join's 0.5-0.8 s).
        case when referrals.referred_erp_customer_number is null
            then lower(trim(referrals.referred_email)) end as referred_email_lookup
    from {{ ref('stg_network__referrals') }} as referrals
),

resolved as (
    select
        referrals.referral_id,
        referrer.customer_id as referrer_customer_id,
        coalesce(referred_by_number.customer_id, referred_by_email.customer_id) as referred_customer_id,
        referrals.referrer_erp_customer_number,
        referrals.referred_erp_customer_number,
        referrals.referred_email,
        referrals.referred_on,
        referrals.partner_id,
        referrals.load_id,
        referrals.source_file,
        referrals.source_row
    from referrals
    left join erp_numbers as referrer on referrer.erp_customer_number = referrals.referrer_erp_customer_number
    left join erp_numbers as referred_by_number on referred_by_number.erp_customer_number = referrals.referred_erp_customer_number
    -- An address two customers share names neither for sure; the first by id is taken.
    left join (
        select email, min(customer_id) as customer_id
        from {{ ref('dim_customers') }}
        where email is not null
        group by email
    ) as referred_by_email on referred_by_email.email = referrals.referred_email_lookup
),

value_since as (
    select
        resolved.referral_id,
        count(distinct lines.order_id) as referred_orders,
        {{ money('coalesce(sum(lines.net_revenue), 0)') }} as referred_revenue,
        {{ money('coalesce(sum(lines.gross_margin), 0)') }} as referred_gross_margin
    from resolved
    left join {{ ref('fct_order_lines') }} as lines
        on lines.customer_id = resolved.referred_customer_id
        and lines.ordered_on >= resolved.referred_on
    group by resolved.referral_id
)

select
    resolved.*,
    resolved.referred_customer_id is not null as referred_became_customer,
    value_since.referred_orders,
    value_since.referred_revenue,
    value_since.referred_gross_margin
from resolved
inner join value_since using (referral_id)
