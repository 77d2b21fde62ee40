with source as (
    {{ latest_version(source('network', 'referrals'), ['referral_id']) }}
)

select
    referral_id,
    referrer_customer_id as referrer_erp_customer_number,
    referred_customer_id as referred_erp_customer_number,
    referred_email,
    referred_on,
    partner_id,
    {{ source_lineage_columns() }}
from source
