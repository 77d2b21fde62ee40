-- Grain: one resolved customer x month: the care class and its evidence
-- (fct_care_class_monthly) with what the Hellman level-1 indicators add: whether the
-- customer is active (bought in the evidence window or has a contract in force), has
-- complete contact data (e-mail, phone, street and postal code in the golden record) and
-- is in an undecided candidate pair of the identity review queue
-- (int_management__customer_flags). Contact data and the review queue keep no history:
-- their current state stands for every month.
with classes as (
    -- Less what records when the care class was built.
    select * exclude (built_through_load_id, built_at) from {{ ref('fct_care_class_monthly') }}
),

flags as (
    select customer_id, has_complete_contact_data, has_open_review from {{ ref('int_management__customer_flags') }}
),

final as (
    select
        classes.*,
        classes.orders_in_window > 0 or classes.contracts_in_force > 0 as is_active,
        coalesce(flags.has_complete_contact_data, false) as has_complete_contact_data,
        coalesce(flags.has_open_review, false) as has_open_review
    from classes
    left join flags using (customer_id)
)

select * from final
