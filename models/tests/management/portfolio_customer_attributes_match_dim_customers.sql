-- fct_customer_portfolio carries the customer's name, type and region so the management
-- lists read one table; they must be the customer dimension's, for every customer in the
-- portfolio (a customer missing from core.dim_customers shows here too).
select
    portfolio.customer_id,
    portfolio.customer_name,
    customers.customer_name as dim_customer_name,
    portfolio.customer_type,
    customers.customer_type as dim_customer_type,
    portfolio.region,
    customers.region as dim_region
from {{ ref('fct_customer_portfolio') }} as portfolio
left join {{ ref('dim_customers') }} as customers on customers.customer_id = portfolio.customer_id
where customers.customer_id is null
    or portfolio.customer_name is distinct from customers.customer_name
    or portfolio.customer_type is distinct from customers.customer_type
    or portfolio.region is distinct from customers.region
