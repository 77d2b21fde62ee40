with source as (
    {{ latest_version(source('network', 'referrals'), ['referral_id']) }}
)

select
    referral_id,
    referrer_customer_id,
    referred_customer_id,
    referred_email,
    referred_on,
    partner_id,
    _load_id as load_id,
    _source_file as source_file,
    _source_row as source_row
from source
