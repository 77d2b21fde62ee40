-- Grain: one resolved customer: whether the customer has complete contact data (e-mail,
-- phone, street and postal code in the golden record) and is in an undecided candidate
-- pair of the identity review queue. Neither keeps history: the current state stands for
-- every month of the Hellman level-1 indicators (int_management__maturity_customer_months).
-- Incremental (docs/performance.md), kept by customer: a build writes only the customers
-- that are new or whose flags differ from the built row, so `built_at` says when a
-- customer's flags last changed, and fct_maturity_customers_behind recomputes every month
-- of those customers only. A customer gone from dim_customers is deleted by a post-hook.
{{ config(
    materialized='incremental',
    unique_key='customer_id',
    post_hook="delete from {{ this }} where customer_id not in (select customer_id from {{ ref('dim_customers') }})",
) }}
with open_reviews as (
    select customer_id_l as customer_id from {{ ref('identity_review_queue') }} where item_type = 'candidate_pair'
    union
    select customer_id_r from {{ ref('identity_review_queue') }} where item_type = 'candidate_pair'
),

flags as (
    select
        customers.customer_id,
        customers.email is not null and customers.phone is not null
            and customers.street_address is not null and customers.postal_code is not null as has_complete_contact_data,
        open_reviews.customer_id is not null as has_open_review
    from {{ ref('dim_customers') }} as customers
    left join open_reviews using (customer_id)
)

select flags.*, {{ incremental_columns() }}
from flags
{%- if is_incremental() %}
-- Written: the customers whose flags are new or changed.
where not exists (
    select 1 from {{ this }} as built
    where built.customer_id = flags.customer_id
      and built.has_complete_contact_data = flags.has_complete_contact_data
      and built.has_open_review = flags.has_open_review
)
{%- endif %}
