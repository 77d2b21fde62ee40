-- Grain: one resolved customer x calendar month, from the customer's first month in the
-- data to the latest month. Everything the relationship-nature, care-class and maturity
-- rules look at, as of the month's end: purchases in the trailing evidence window and in
-- the window before it, contracts, partner-network ties, referrals, campaign sends and
-- responses, sales activity and account plans. The rules themselves live in the marts
-- (fct_relationship_nature_monthly, fct_care_class_monthly) so each can be unit-tested on
-- evidence rows.
-- Incremental (docs/performance.md), kept by customer and month: a customer's rows depend
-- only on that customer's history and a row only on the months up to it, so a build
-- recomputes every month of the customers whose evidence can have changed since this
-- table was last built (all of them when the month list now starts elsewhere). When
-- months were added (the day that opens a month), the other customers are rolled
-- forward: only their added months are computed, each month's windows and to-date sums
-- as filtered sums over the customer's months with activity, not windows over a grid of
-- every month of history (their previous latest month: see the last post-hook below).
-- A built row a recomputed customer no longer has (its first month moved later) is
-- replaced by a marker row (month_end null) that a post-hook deletes; a customer gone
-- from dim_customers (merged into another) is deleted after. The previous latest month
-- of a customer rolled forward depends only on the months up to it, and nothing of the
-- customer changed, so only its is_latest moves: the last post-hook updates it in place
-- (recomputing it was half of the roll-forward's filtered sums) and stamps it as written
-- by this build, so the care classes take the move too.
{{ config(
    materialized='incremental',
    unique_key=['customer_id', 'month'],
    post_hook=[
        "delete from {{ this }} where month_end is null",
        "delete from {{ this }} where customer_id not in (select customer_id from {{ ref('dim_customers') }})",
        "update {{ this }} set is_latest = false,
            built_at = (select max(built_at) from {{ this }}),
            built_through_load_id = (select max(built_through_load_id) from {{ this }})
         where is_latest and month < (select max(month) from {{ this }})",
    ],
) }}
{%- set m = var('management') %}
{%- set window = m['evidence_window_months'] %}
{%- set signal_months = m['care']['growth_signal_months'] %}
{%- set incremental = is_incremental() and built_with_column('built_from_records_hash') %}
with months as (
    select * from {{ ref('int_management__months') }}
),

customers as (
    select customer_id, customer_type, created_on from {{ ref('dim_customers') }}
),

-- The month a customer first shows up in any system's history (every customer: an
-- incremental build compares it with the built rows).
first_seen as (
    select
        customers.customer_id,
        customers.customer_type,
        least(date_trunc('month', min(events.occurred_at))::date, date_trunc('month', customers.created_on)::date) as first_month
    from customers
    left join {{ ref('fct_customer_events') }} as events using (customer_id)
    group by customers.customer_id, customers.customer_type, customers.created_on
),

-- Which records form each customer, as an order-free hash: a customer that gained or
-- lost a record (a merge, a split, a reviewer's decision) is recomputed.
member_records as (
    {{ member_records_hash() }}
),

{% if incremental %}
built as (
    select
        max(built_at) as built_at,
        max(built_through_load_id) as load_id,
        min(month) as first_month,
        max(month) as last_month
    from {{ this }}
),

-- Per built customer: its type, records and the first month its rows imply (each row's
-- month less its relationship months: one value, or empty for a customer with no first
-- month, whose every row counts one relationship month).
built_customers as (
    select
        customer_id,
        any_value(customer_type) as customer_type,
        any_value(built_from_records_hash) as built_from_records_hash,
        case when count(distinct (month - to_months(cast(relationship_months - 1 as integer)))::date) = 1
            then min((month - to_months(cast(relationship_months - 1 as integer)))::date) end as first_month
    from {{ this }}
    group by customer_id
),

erp_numbers_now as (
    select record_id as erp_customer_number, customer_id
    from {{ ref('int_management__customer_numbers') }}
    where source = 'erp' and entity = 'customers'
),

-- Newsletter sends with a new reaction, a new version, or a changed campaign.
changed_sends as (
    select send_id from {{ ref('stg_newsletter__events') }} where load_id > (select load_id from built)
    union
    select send_id from {{ ref('stg_newsletter__sends') }}
    where load_id > (select load_id from built)
       or campaign_id in (select campaign_id from {{ ref('stg_newsletter__campaigns') }} where load_id > (select load_id from built))
),

-- Months added since the last build (the month list grew at its end): every customer
-- gains rows and the previous latest month stops being the latest.
months_added as (
    select (select first_month from built) = min(month) and (select last_month from built) < max(month) as added
    from months
),

-- Every customer whose evidence can have changed since the last build: all their months
-- are recomputed and written.
changed_customers as (
    -- All of them when the month list changed otherwise (it starts elsewhere, or ends earlier).
    select customer_id from customers
    where (select (first_month, last_month) from built)
        is distinct from (select (min(month), max(month)) from months)
      and not (select added from months_added)
    union
    -- New customers, and those whose type, first month or records changed.
    select first_seen.customer_id
    from first_seen
    left join member_records using (customer_id)
    left join built_customers using (customer_id)
    where built_customers.customer_id is null
       or first_seen.customer_type is distinct from built_customers.customer_type
       or first_seen.first_month is distinct from built_customers.first_month
       or member_records.built_from_records_hash is distinct from built_customers.built_from_records_hash
    union
    -- Events and order lines written since (new, changed, or moved to another customer).
    select customer_id from {{ ref('fct_customer_events') }} where built_at > (select built_at from built)
    union
    select customer_id from {{ ref('fct_order_lines') }} where built_at > (select built_at from built)
    union
    select customer_id from {{ ref('fct_customer_events') }}
    where event_type = 'campaign_sent' and source_id in (select send_id from changed_sends)
    union
    -- Source rows reached through the customer's numbers, loaded since.
    select erp_numbers_now.customer_id
    from erp_numbers_now
    inner join (
        {%- for model, column in [
            ('stg_erp__contracts', 'erp_customer_number'),
            ('stg_network__partners', 'erp_customer_number'),
            ('stg_network__partner_customers', 'erp_customer_number'),
            ('stg_network__referrals', 'referrer_erp_customer_number'),
            ('stg_network__referrals', 'referred_erp_customer_number'),
            ('stg_billing__invoices', 'erp_customer_number'),
            ('stg_crm__account_plans', 'erp_customer_number'),
        ] %}
        select {{ column }} as erp_customer_number from {{ ref(model) }} where load_id > (select load_id from built)
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    ) as loaded using (erp_customer_number)
    union
    select customer_numbers.customer_id
    from {{ ref('int_management__customer_numbers') }} as customer_numbers
    inner join {{ ref('stg_crm__contacts') }} as contacts
        on customer_numbers.source = 'crm' and customer_numbers.entity = 'contacts'
        and customer_numbers.record_id = contacts.contact_id
    where contacts.load_id > (select load_id from built)
),

-- Customers whose history is read: the changed ones, and every customer when months were
-- added (the rolled-forward months' windows and to-date sums reach back over the history).
read_customers as (
    select customer_id from changed_customers
    union
    select customer_id from customers where (select added from months_added)
),
{% endif %}

customer_numbers as (
    select * from {{ ref('int_management__customer_numbers') }} {{ recomputed_only('customer_id', 'read_customers', incremental) }}
),

erp_numbers as (
    select record_id as erp_customer_number, customer_id
    from customer_numbers
    where source = 'erp' and entity = 'customers'
),

events as (
    select * from {{ ref('fct_customer_events') }} {{ recomputed_only('customer_id', 'read_customers', incremental) }}
),

order_lines as (
    select * from {{ ref('fct_order_lines') }} {{ recomputed_only('customer_id', 'read_customers', incremental) }}
),

{#- A customer's months from its first month on (or every month, when it has none). -#}
{%- set customer_months %}
    select
        first_seen.customer_id, first_seen.customer_type, months.month, months.month_end, months.is_latest,
        date_diff('month', least(first_seen.first_month, months.month), months.month) + 1 as relationship_months
    from first_seen
    inner join months on months.month >= coalesce(first_seen.first_month, months.month)
{%- endset %}

-- Every month of the customers computed whole: all of them in a full build, the changed
-- ones in an incremental build.
grid as (
    {{ customer_months }}
    {{ recomputed_only('customer_id', 'changed_customers', incremental, qualified='first_seen.customer_id') }}
),

{% if incremental %}
-- The customers rolled forward (read, not changed: months were added): only the added
-- months (a post-hook moves is_latest off their previous latest month).
rolled_months as (
    {{ customer_months }}
    where months.month > (select last_month from built)
      and first_seen.customer_id in (select customer_id from read_customers)
      and first_seen.customer_id not in (select customer_id from changed_customers)
),
{% endif %}

-- The customer months computed, each marked whether its windows come from the grid.
evidence_rows as (
    select *, false as is_rolled from grid
    {% if incremental %}
    union all
    select *, true as is_rolled from rolled_months
    {% endif %}
),

-- A business customer's lowest line discount is its negotiated price level (a standing
-- customer discount); only a discount above it is a price incentive. Consumers have no
-- negotiated terms: every discount counts.
negotiated_discount as (
    select lines.customer_id, min(lines.discount_pct) as negotiated_discount_pct
    from order_lines as lines
    inner join customers using (customer_id)
    where customers.customer_type = 'business'
    group by lines.customer_id
),

purchases as (
    select
        lines.customer_id,
        lines.order_month as month,
        count(distinct lines.order_id) as orders,
        sum(lines.net_revenue) as net_revenue,
        sum(lines.gross_margin) as gross_margin,
        sum(lines.list_value) as list_value,
        sum(lines.list_value) filter (where lines.discount_pct > coalesce(negotiated_discount.negotiated_discount_pct, 0)) as discounted_list_value,
        min(lines.ordered_on) as first_order_on
    from order_lines as lines
    left join negotiated_discount using (customer_id)
    group by lines.customer_id, lines.order_month
),

-- Product groups the customer buys from, counted in the month of the first purchase from
-- each: the breadth of our range the customer has bought to date.
new_product_groups as (
    select customer_id, month, count(*) as new_product_groups
    from (
        select lines.customer_id, products.product_group, min(lines.order_month) as month
        from order_lines as lines
        inner join {{ ref('stg_erp__products') }} as products using (product_id)
        group by lines.customer_id, products.product_group
    )
    group by customer_id, month
),

margins as (
    select customer_id, month, contribution_margin
    from {{ ref('fct_customer_margin_monthly') }}
    {{ recomputed_only('customer_id', 'read_customers', incremental) }}
),

contracts as (
    select erp_numbers.customer_id, contracts.contract_id, contracts.start_date, contracts.end_date, contracts.annual_value
    from {{ ref('stg_erp__contracts') }} as contracts
    inner join erp_numbers on erp_numbers.erp_customer_number = contracts.erp_customer_number
),

contract_months as (
    select
        grid.customer_id,
        grid.month,
        count(distinct contracts.contract_id) filter (
            where contracts.start_date <= grid.month_end and (contracts.end_date is null or contracts.end_date >= grid.month_end)
        ) as contracts_in_force,
        count(distinct contracts.contract_id) filter (
            where contracts.start_date <= grid.month_end
              and (contracts.end_date is null
                   or contracts.end_date > grid.month_end - interval {{ m['contract_lookback_months'] }} month)
        ) as contracts_in_lookback,
        min(contracts.start_date) filter (where contracts.start_date <= grid.month_end) as first_contract_on
    from evidence_rows as grid
    inner join contracts using (customer_id)
    group by grid.customer_id, grid.month
),

partners as (
    select erp_numbers.customer_id, min(partners.joined_on) as partner_since
    from {{ ref('stg_network__partners') }} as partners
    inner join erp_numbers on erp_numbers.erp_customer_number = partners.erp_customer_number
    group by erp_numbers.customer_id
),

shared_by_partner as (
    select erp_numbers.customer_id, min(shared.shared_since) as shared_since
    from {{ ref('stg_network__partner_customers') }} as shared
    inner join erp_numbers on erp_numbers.erp_customer_number = shared.erp_customer_number
    group by erp_numbers.customer_id
),

referrals_given as (
    select erp_numbers.customer_id, date_trunc('month', referrals.referred_on)::date as month, count(*) as referrals
    from {{ ref('stg_network__referrals') }} as referrals
    inner join erp_numbers on erp_numbers.erp_customer_number = referrals.referrer_erp_customer_number
    group by all
),

referred as (
    select erp_numbers.customer_id, min(referrals.referred_on) as referred_on
    from {{ ref('stg_network__referrals') }} as referrals
    inner join erp_numbers on erp_numbers.erp_customer_number = referrals.referred_erp_customer_number
    group by erp_numbers.customer_id
),

-- Campaign e-mails sent to the customer, whether the campaign was targeted from the
-- database (var management.maturity.targeted_campaign_types) and whether it was opened
-- or clicked.
responses as (
    select send_id, bool_or(event_type = 'clicked') as clicked
    from {{ ref('stg_newsletter__events') }}
    where event_type in ('opened', 'clicked')
    {%- if incremental %}
        and send_id in (select source_id from events where event_type = 'campaign_sent')
    {%- endif %}
    group by send_id
),

sends as (
    select
        events.customer_id,
        date_trunc('month', events.occurred_at)::date as month,
        count(*) as campaign_sends,
        count(*) filter (where campaigns.campaign_type in (
            {%- for type in m['maturity']['targeted_campaign_types'] %}'{{ type }}'{{ ', ' if not loop.last }}{% endfor -%}
        )) as targeted_sends,
        count(responses.send_id) as responded_sends,
        count(*) filter (where responses.clicked) as clicked_sends
    from events
    inner join {{ ref('stg_newsletter__sends') }} as sends on sends.send_id = events.source_id
    inner join {{ ref('stg_newsletter__campaigns') }} as campaigns on campaigns.campaign_id = sends.campaign_id
    left join responses on responses.send_id = sends.send_id
    where events.event_type = 'campaign_sent'
    group by all
),

sales_activity as (
    select
        customer_id,
        date_trunc('month', occurred_at)::date as month,
        count(*) filter (where event_type = 'sales_visit') as visits,
        count(*) filter (where event_type in ('opportunity_marketing', 'opportunity_offer_negotiation')) as open_opportunities,
        count(*) filter (where is_contact and handled_by is not null) as handled_contacts
    from events
    where event_category in ('sales', 'service')
    group by all
),

-- Contract invoices (billing): revenue an account plan's target counts, which the order
-- lines do not hold.
contract_invoices as (
    select erp_numbers.customer_id, date_trunc('month', invoices.invoice_date)::date as month, sum(invoices.net_amount) as contract_revenue
    from {{ ref('stg_billing__invoices') }} as invoices
    inner join erp_numbers on erp_numbers.erp_customer_number = invoices.erp_customer_number
    where invoices.contract_id is not null
    group by all
),

plans as (
    select
        erp_numbers.customer_id,
        plans.plan_year,
        sum(plans.target_revenue) as plan_target_revenue,
        sum(plans.planned_visits) as plan_planned_visits,
        min(plans.owner) as plan_owner
    from {{ ref('stg_crm__account_plans') }} as plans
    inner join erp_numbers on erp_numbers.erp_customer_number = plans.erp_customer_number
    group by all
),

crm_owner as (
    select customer_numbers.customer_id, min(contacts.owner) as crm_owner
    from {{ ref('stg_crm__contacts') }} as contacts
    inner join customer_numbers
        on customer_numbers.source = 'crm' and customer_numbers.entity = 'contacts'
        and customer_numbers.record_id = contacts.contact_id
    where contacts.owner is not null
    group by customer_numbers.customer_id
),

monthly as (
    select
        grid.customer_id,
        grid.customer_type,
        grid.month,
        grid.month_end,
        grid.is_latest,
        grid.relationship_months,
        grid.is_rolled,
        coalesce(purchases.orders, 0) as orders,
        coalesce(purchases.net_revenue, 0) as net_revenue,
        coalesce(purchases.gross_margin, 0) as gross_margin,
        coalesce(purchases.list_value, 0) as list_value,
        coalesce(purchases.discounted_list_value, 0) as discounted_list_value,
        purchases.first_order_on,
        coalesce(new_product_groups.new_product_groups, 0) as new_product_groups,
        coalesce(margins.contribution_margin, 0) as contribution_margin,
        coalesce(contract_invoices.contract_revenue, 0) as contract_revenue,
        coalesce(contract_months.contracts_in_force, 0) as contracts_in_force,
        coalesce(contract_months.contracts_in_lookback, 0) as contracts_in_lookback,
        contract_months.first_contract_on,
        coalesce(referrals_given.referrals, 0) as referrals_in_month,
        coalesce(sends.campaign_sends, 0) as campaign_sends,
        coalesce(sends.targeted_sends, 0) as targeted_sends,
        coalesce(sends.responded_sends, 0) as responded_sends,
        coalesce(sends.clicked_sends, 0) as clicked_sends,
        coalesce(sales_activity.visits, 0) as visits,
        coalesce(sales_activity.open_opportunities, 0) as open_opportunities,
        coalesce(sales_activity.handled_contacts, 0) as handled_contacts,
        partners.partner_since,
        shared_by_partner.shared_since,
        referred.referred_on,
        plans.plan_target_revenue,
        plans.plan_planned_visits,
        coalesce(plans.plan_owner, crm_owner.crm_owner) as account_owner
    from evidence_rows as grid
    left join purchases using (customer_id, month)
    left join new_product_groups using (customer_id, month)
    left join margins using (customer_id, month)
    left join contract_invoices using (customer_id, month)
    left join contract_months using (customer_id, month)
    left join referrals_given using (customer_id, month)
    left join sends using (customer_id, month)
    left join sales_activity using (customer_id, month)
    left join partners using (customer_id)
    left join shared_by_partner using (customer_id)
    left join referred using (customer_id)
    left join plans on plans.customer_id = grid.customer_id and plans.plan_year = year(grid.month)
    left join crm_owner on crm_owner.customer_id = grid.customer_id
),

{% if incremental %}
-- The months of the read customers with any activity, one row per CTE that has the month
-- (sparse: a customer who bought in five months has five purchase rows).
activity as (
    select customer_id, month, orders, net_revenue, gross_margin, list_value, discounted_list_value, first_order_on from purchases
    union all by name select customer_id, month, new_product_groups from new_product_groups
    union all by name select customer_id, month, contribution_margin from margins
    union all by name select customer_id, month, contract_revenue from contract_invoices
    union all by name select customer_id, month, referrals from referrals_given
    union all by name select customer_id, month, campaign_sends, responded_sends, clicked_sends from sends
    union all by name select customer_id, month, visits, open_opportunities, handled_contacts from sales_activity
),

-- The windowed figures of a rolled-forward month: the same frames as the windows below
-- (which count grid rows from the customer's first month on), as filtered sums over the
-- customer's active months from that first month to the month itself.
{%- set trailing = 'activity.month > rolled.month - interval ' ~ window ~ ' month' %}
{%- set previous = 'activity.month <= rolled.month - interval ' ~ window ~ ' month and activity.month > rolled.month - interval ' ~ (2 * window) ~ ' month' %}
{%- set signal = 'activity.month > rolled.month - interval ' ~ signal_months ~ ' month' %}
{%- set year_to_date = 'year(activity.month) = year(rolled.month)' %}
rolled_sums as (
    select
        rolled.customer_id,
        rolled.month,
        coalesce(sum(activity.orders) filter (where {{ trailing }}), 0) as orders_in_window,
        count(*) filter (where {{ trailing }} and activity.orders > 0) as purchase_months_in_window,
        coalesce(sum(activity.net_revenue) filter (where {{ trailing }}), 0) as net_revenue_in_window,
        coalesce(sum(activity.gross_margin) filter (where {{ trailing }}), 0) as gross_margin_in_window,
        coalesce(sum(activity.contribution_margin) filter (where {{ trailing }}), 0) as contribution_margin_in_window,
        coalesce(sum(activity.list_value) filter (where {{ trailing }}), 0) as list_value_in_window,
        coalesce(sum(activity.discounted_list_value) filter (where {{ trailing }}), 0) as discounted_list_value_in_window,
        coalesce(sum(activity.orders) filter (where {{ previous }}), 0) as orders_in_previous_window,
        coalesce(sum(activity.net_revenue) filter (where {{ previous }}), 0) as net_revenue_in_previous_window,
        coalesce(sum(activity.campaign_sends) filter (where {{ trailing }}), 0) as campaign_sends_in_window,
        coalesce(sum(activity.responded_sends) filter (where {{ trailing }}), 0) as responded_sends_in_window,
        coalesce(sum(coalesce(activity.clicked_sends, 0) + coalesce(activity.open_opportunities, 0)) filter (where {{ signal }}), 0) as growth_signals,
        coalesce(sum(activity.referrals), 0) as referrals_given,
        coalesce(sum(activity.orders), 0) as orders_to_date,
        coalesce(sum(activity.new_product_groups), 0) as product_groups_to_date,
        coalesce(sum(activity.campaign_sends), 0) as campaign_sends_to_date,
        coalesce(sum(activity.responded_sends), 0) as responded_sends_to_date,
        coalesce(sum(activity.handled_contacts), 0) as handled_contacts_to_date,
        min(activity.first_order_on) as first_purchase_on,
        coalesce(sum(activity.visits) filter (where {{ year_to_date }}), 0) as visits_year_to_date,
        coalesce(sum(coalesce(activity.net_revenue, 0) + coalesce(activity.contract_revenue, 0)) filter (where {{ year_to_date }}), 0) as plan_revenue_year_to_date
    from rolled_months as rolled
    inner join first_seen using (customer_id)
    left join activity
        on activity.customer_id = rolled.customer_id
        and activity.month <= rolled.month
        -- The grid's first month: the customer's first month, within the month list.
        and activity.month >= greatest(coalesce(first_seen.first_month, (select min(month) from months)), (select min(month) from months))
    group by rolled.customer_id, rolled.month
),
{% endif %}

windowed as (
    select
        *,
        sum(orders) over trailing_window as orders_in_window,
        sum(case when orders > 0 then 1 else 0 end) over trailing_window as purchase_months_in_window,
        sum(net_revenue) over trailing_window as net_revenue_in_window,
        sum(gross_margin) over trailing_window as gross_margin_in_window,
        sum(contribution_margin) over trailing_window as contribution_margin_in_window,
        sum(list_value) over trailing_window as list_value_in_window,
        sum(discounted_list_value) over trailing_window as discounted_list_value_in_window,
        coalesce(sum(orders) over previous_window, 0) as orders_in_previous_window,
        coalesce(sum(net_revenue) over previous_window, 0) as net_revenue_in_previous_window,
        sum(campaign_sends) over trailing_window as campaign_sends_in_window,
        sum(responded_sends) over trailing_window as responded_sends_in_window,
        sum(clicked_sends + open_opportunities) over signal_window as growth_signals,
        sum(referrals_in_month) over up_to_month as referrals_given,
        sum(orders) over up_to_month as orders_to_date,
        sum(new_product_groups) over up_to_month as product_groups_to_date,
        sum(campaign_sends) over up_to_month as campaign_sends_to_date,
        sum(responded_sends) over up_to_month as responded_sends_to_date,
        sum(handled_contacts) over up_to_month as handled_contacts_to_date,
        min(first_order_on) over up_to_month as first_purchase_on,
        -- The plan year so far: visits and revenue since January.
        sum(visits) over year_to_date as visits_year_to_date,
        sum(net_revenue + contract_revenue) over year_to_date as plan_revenue_year_to_date
    from monthly
    {% if incremental %}where not is_rolled{% endif %}
    window
        trailing_window as (partition by customer_id order by month rows between {{ window - 1 }} preceding and current row),
        previous_window as (partition by customer_id order by month rows between {{ 2 * window - 1 }} preceding and {{ window }} preceding),
        signal_window as (partition by customer_id order by month rows between {{ signal_months - 1 }} preceding and current row),
        up_to_month as (partition by customer_id order by month rows between unbounded preceding and current row),
        -- January to the month: the grid holds every month from the customer's first on, so
        -- January is the month's number less one rows back (or the first month, if later).
        -- One partition and order for every window, so DuckDB sorts the customer months once;
        -- partitioned by year as well, it sorted them all again (the full build at 100,000
        -- customers: 8.0 -> 6.4 s, docs/performance.md).
        year_to_date as (partition by customer_id order by month rows between (month(month) - 1) preceding and current row)
    {% if incremental %}
    union all by name
    select monthly.*, rolled_sums.* exclude (customer_id, month)
    from monthly
    inner join rolled_sums using (customer_id, month)
    where monthly.is_rolled
    {% endif %}
)

-- The sums are stored as DECIMAL(18,2) and BIGINT, not DuckDB's 128-bit sum types
-- (macros/finance/money.sql): the care-class mart and its views read them every query.
select
    customer_id,
    customer_type,
    month,
    month_end,
    is_latest,
    -- Months since the customer first appeared in any system (ERP creation or first event).
    relationship_months,
    orders,
    {{ money('net_revenue') }} as net_revenue,
    {{ money('gross_margin') }} as gross_margin,
    contribution_margin,
    {{ whole_count('orders_in_window') }} as orders_in_window,
    {{ whole_count('purchase_months_in_window') }} as purchase_months_in_window,
    {{ money('net_revenue_in_window') }} as net_revenue_in_window,
    {{ money('gross_margin_in_window') }} as gross_margin_in_window,
    {{ money('contribution_margin_in_window') }} as contribution_margin_in_window,
    {{ whole_count('orders_in_previous_window') }} as orders_in_previous_window,
    {{ money('net_revenue_in_previous_window') }} as net_revenue_in_previous_window,
    -- Share of the list value bought in the window at a price incentive (a discount above
    -- the customer's negotiated level).
    discounted_list_value_in_window / nullif(list_value_in_window, 0) as discounted_share_in_window,
    first_purchase_on,
    first_contract_on,
    -- Months the customer has been known as a buyer or under contract, this month included.
    case when least(first_purchase_on, first_contract_on) is not null
        then date_diff('month', date_trunc('month', least(first_purchase_on, first_contract_on)), month) + 1
    end as history_months,
    -- Relationship to date: orders, product groups bought from, campaign e-mails and the
    -- share opened or clicked, since the customer first appeared.
    {{ whole_count('orders_to_date') }} as orders_to_date,
    -- Orders a year over the relationship to date: orders since the first purchase per
    -- month since it, over at least the evidence window (so a new customer's first
    -- order is not a high yearly rate).
    case when first_purchase_on is not null
        then 12.0 * orders_to_date / greatest(date_diff('month', date_trunc('month', first_purchase_on), month) + 1, {{ window }})
    end as orders_per_year_to_date,
    {{ whole_count('product_groups_to_date') }} as product_groups_to_date,
    {{ whole_count('campaign_sends_to_date') }} as campaign_sends_to_date,
    responded_sends_to_date / nullif(campaign_sends_to_date, 0) as campaign_response_rate_to_date,
    contracts_in_force,
    contracts_in_lookback,
    partner_since is not null and partner_since <= month_end as is_network_partner,
    shared_since is not null and shared_since <= month_end as is_shared_by_partner,
    referred_on is not null and referred_on <= month_end as was_referred,
    {{ whole_count('referrals_given') }} as referrals_given,
    campaign_sends,
    targeted_sends,
    responded_sends,
    {{ whole_count('campaign_sends_in_window') }} as campaign_sends_in_window,
    {{ whole_count('responded_sends_in_window') }} as responded_sends_in_window,
    responded_sends_in_window / nullif(campaign_sends_in_window, 0) as campaign_response_rate,
    {{ whole_count('growth_signals') }} as growth_signals,
    visits,
    {{ whole_count('visits_year_to_date') }} as visits_year_to_date,
    {{ money('plan_revenue_year_to_date') }} as plan_revenue_year_to_date,
    {{ money('plan_target_revenue') }} as plan_target_revenue,
    {{ whole_count('plan_planned_visits') }} as plan_planned_visits,
    plan_target_revenue is not null as has_care_plan,
    account_owner,
    account_owner is not null or handled_contacts_to_date > 0 as has_known_handler,
    built_from_records_hash,
    {{ incremental_columns() }}
from windowed
left join member_records using (customer_id)
{%- if incremental %}
-- Written: every month of a changed customer; of the others, the added months.
where customer_id in (select customer_id from changed_customers)
   or month > (select last_month from built)

-- Markers for the built rows of changed customers that the grid no longer holds: the
-- delete by (customer, month) removes them, the post-hook the markers.
union all by name
select built_rows.customer_id, built_rows.month
from {{ this }} as built_rows
where built_rows.customer_id in (select customer_id from changed_customers)
  and not exists (select 1 from grid where grid.customer_id = built_rows.customer_id and grid.month = built_rows.month)
{%- endif %}
