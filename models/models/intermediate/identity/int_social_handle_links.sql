-- Social handles tied to a customer: a handle recorded as a CRM contact's contact method
-- is that contact's customer. Handles that match nobody go to the review queue
-- (identity_review_queue), and the share linked automatically is reported in
-- identity_quality.
select distinct
    contacts.social_handle_std as handle_std,
    clusters.customer_id,
    clusters.record_key as via_record_key
from {{ ref('stg_crm__contacts') }} as contacts
inner join {{ ref('int_identity_clusters') }} as clusters
    on clusters.source = 'crm' and clusters.entity = 'contacts' and clusters.record_id = contacts.contact_id
where contacts.social_handle_std is not null
-- One handle names one customer; should two contacts of different customers claim the
-- same handle, it is ambiguous and left to review.
qualify count(distinct clusters.customer_id) over (partition by contacts.social_handle_std) = 1
