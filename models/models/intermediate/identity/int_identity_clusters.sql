-- Clusters the linked records into customers (the transitive closure of the links) and
-- gives each customer a stable id.
--
-- Stability: a customer's id comes from its anchor record, the member that arrived
-- first (lowest first_load_id, then record key). A new duplicate arriving later joins
-- the cluster without becoming its anchor, so the id does not change. When two
-- customers merge, the older anchor's id survives; the snapshot
-- customer_record_assignments_snapshot keeps the id a record had before.
with recursive records as (
    select record_key, source, entity, record_id, first_load_id from {{ ref('int_customer_records') }}
),

edges as (
    select record_key_l as from_key, record_key_r as to_key from {{ ref('int_identity_links') }}
    union all
    select record_key_r, record_key_l from {{ ref('int_identity_links') }}
),

-- Every record reaches every other record of its component; UNION (not UNION ALL)
-- stops the walk once nothing new is reached. Only linked records walk: singletons
-- are their own component.
reachable(record_key, reached_key) as (
    select distinct from_key, from_key from edges
    union
    select reachable.record_key, edges.to_key
    from reachable
    inner join edges on edges.from_key = reachable.reached_key
),

components as (
    select record_key, min(reached_key) as component_key
    from reachable
    group by record_key
    union all
    select record_key, record_key
    from records
    where record_key not in (select from_key from edges)
),

anchored as (
    select
        components.record_key,
        components.component_key,
        first_value(components.record_key) over (
            partition by components.component_key
            order by records.first_load_id, components.record_key
        ) as anchor_record_key,
        count(*) over (partition by components.component_key) as records_in_customer
    from components
    inner join records on records.record_key = components.record_key
)

-- source, entity and record_id name the record in its own system, so marts join on them
-- (never by taking record_key apart).
select
    anchored.record_key,
    records.source,
    records.entity,
    records.record_id,
    'CU-' || upper(substr(md5(anchored.anchor_record_key), 1, 16)) as customer_id,
    anchored.anchor_record_key,
    anchored.records_in_customer
from anchored
inner join records using (record_key)
