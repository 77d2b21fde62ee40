with source as (
    {{ latest_version(source('crm', 'account_plans'), ['plan_id']) }}
)

select
    plan_id,
    erp_customer_id as erp_customer_number,
    owner,
    plan_year,
    goal,
    target_revenue,
    planned_visits,
    starts_on,
    ends_on,
    {{ source_lineage_columns() }}
from source
