-- Grain: one resolved customer (core.dim_customers): the name, type and region every
-- service mart shows beside its facts, and the account owner - the salesperson who owns
-- the customer in the CRM (core.dim_customers.owner_salesperson, the same column the
-- sales role's row-level access keys on); a customer without a CRM contact has none.
select
    customer_id,
    customer_name,
    customer_type,
    region,
    owner_salesperson as account_owner
from {{ ref('dim_customers') }}
