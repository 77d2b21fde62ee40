-- Grain: one resolved customer x month: the care class and its evidence
-- (fct_care_class_monthly) with what the Hellman level-1 indicators add: whether the
-- customer is active (bought in the evidence window or has a contract in force), has
-- complete contact data (e-mail, phone, street and postal code in the golden record) and
-- is in an undecided candidate pair of the identity review queue. Contact data and the
-- review queue keep no history: their current state stands for every month.
with classes as (
    -- Less what records when the care class was built.
    select * exclude (built_through_load_id, built_at) from {{ ref('fct_care_class_monthly') }}
),

contact_data as (
    select
        customer_id,
        email is not null and phone is not null and street_address is not null and postal_code is not null as has_complete_contact_data
    from {{ ref('dim_customers') }}
),

open_reviews as (
    select customer_id_l as customer_id from {{ ref('identity_review_queue') }} where item_type = 'candidate_pair'
    union
    select customer_id_r from {{ ref('identity_review_queue') }} where item_type = 'candidate_pair'
),

final as (
    select
        classes.*,
        classes.orders_in_window > 0 or classes.contracts_in_force > 0 as is_active,
        coalesce(contact_data.has_complete_contact_data, false) as has_complete_contact_data,
        open_reviews.customer_id is not null as has_open_review
    from classes
    left join contact_data using (customer_id)
    left join open_reviews using (customer_id)
)

select * from final
