"""Match keys for customer records: the one place where the forms real CRM exports vary in
are brought to one form before anything is compared.

Input: a table of customer records with record_key and any of source, entity,
customer_type, company_name, first_name, last_name, email, phone, street_address,
postal_code, city, business_id, date_of_birth, as the source systems hold them (a missing
column counts as null). Output (prepare_records): one row per record with these match keys

    name_first, name_last          folded (ä/ö/å -> a/o/a, lower case), the whole name in
                                   one field split into given names and surname
    name_given                     every given name ("petri henrik" -> [petri, henrik])
    name_first_canon, name_given_canon
                                   through the Finnish given-name variant table
                                   (finnish_given_name_variants.csv: Kati -> katariina)
    name_tokens, name_key          all name parts, canonical and sorted, so "Virtanen Matti"
                                   and "Matti Virtanen" have one key
    email_canon, email_local, email_domain
                                   lower case, plus tag dropped (matti+shop@ -> matti@),
                                   Gmail's dots dropped and googlemail.com -> gmail.com; a
                                   typo in the domain is NOT rewritten (it is a comparison
                                   level: same local part, domain within two edits)
    phone_e164, phone_is_mobile    every Finnish way of writing a number to +358...
    company_std                    folded, legal forms (Finnish, Swedish, English) removed
    street_std, postal_code_std, city_std, business_id_std, date_of_birth_std

Values on the never-match lists (placeholder e-mails such as info@ or noreply@, a
company's switchboard number) become null here, so no rule, blocking rule or score
ever joins two records through them.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Mapping, Sequence

import duckdb

from .config import PACKAGE_DIR
from .tables import TableInput, as_temp_table, quote_identifier

GIVEN_NAME_VARIANTS = PACKAGE_DIR / "finnish_given_name_variants.csv"

RAW_COLUMNS = ("source", "entity", "customer_type", "company_name", "first_name", "last_name", "email", "phone",
               "street_address", "postal_code", "city", "business_id", "date_of_birth")


def given_name_variants(path: Path = GIVEN_NAME_VARIANTS) -> list[tuple[str, str]]:
    """(variant, canonical) pairs, the canonical name mapped to itself too; each variant
    once (prepare_records looks them up in a map, whose keys must be unique)."""
    with open(path, encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        pairs: list[tuple[str, str]] = []
        for row in rows:
            canonical = row["canonical"].strip()
            pairs.append((canonical, canonical))
            pairs += [(variant.strip(), canonical) for variant in (row["variants"] or "").split("|") if variant.strip()]
    seen: dict[str, str] = {}
    for variant, canonical in pairs:
        if seen.setdefault(variant, canonical) != canonical:
            raise ValueError(f"{path}: {variant!r} is a variant of both {seen[variant]!r} and {canonical!r}")
    return list(seen.items())


def _sql_list(values: Sequence[str]) -> str:
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def _fold(expression: str) -> str:
    """Lower case, accents and ä/ö/å folded, anything but letters, digits, hyphens and
    single spaces removed; empty becomes null."""
    return (f"nullif(trim(regexp_replace(regexp_replace(strip_accents(lower({expression})), '[^a-z0-9\\- ]', ' ', 'g'),"
            f" '\\s+', ' ', 'g')), '')")


def prepare_records(con: duckdb.DuckDBPyConnection, records: TableInput, name: str, guard_rails: Mapping[str, Any]) -> str:
    """Create temp table `name` with the match keys of every record (see the module
    docstring); returns its name."""
    source = as_temp_table(con, records, f"{name}_raw")
    available = set(con.table(source).columns)
    raw = ", ".join(f"{quote_identifier(c)}::varchar as {c}" if c in available else f"null::varchar as {c}" for c in RAW_COLUMNS)
    # The given-name variants go in as one map parameter of the statement below (a table
    # filled by executemany took about 3 s for the list's rows on a warehouse connection).
    variants = given_name_variants()
    never = guard_rails.get("never_match") or {}
    legal_forms = _sql_list(guard_rails.get("legal_forms") or [])
    con.execute(
        f"""
        create or replace temp table {name} as
        with raw as (select record_key::varchar as record_key, {raw} from {source}),
        folded as (
            select *,
                {_fold('first_name')} as first_field,
                {_fold('last_name')} as last_field,
                nullif(lower(trim(email)), '') as email_lower,
                regexp_replace(regexp_replace(phone, '\\(0\\)', ''), '[^0-9+]', '', 'g') as phone_digits
            from raw
        ),
        named as (
            select *,
                -- The whole name in one field ("Matti Virtanen" as first name, no last
                -- name): the last word is taken as the surname; swapped order is caught by
                -- name_key, which ignores order.
                case when last_field is null and first_field like '% %' then regexp_replace(first_field, ' [^ ]+$', '')
                     when first_field is null and last_field like '% %' then regexp_replace(last_field, ' [^ ]+$', '')
                     else first_field end as given_part,
                case when last_field is null and first_field like '% %' then regexp_extract(first_field, '[^ ]+$')
                     when first_field is null and last_field like '% %' then regexp_extract(last_field, '[^ ]+$')
                     else last_field end as name_last
            from folded
        ),
        -- Every name part through the given-name variants, in the order written; given
        -- names first, then the surname's parts (a hyphenated surname is two parts).
        -- List lambdas over each record's own parts: unnesting every part, joining the
        -- variants and listing them again per record in order took 12.6 s of the 20.6 s
        -- this statement took at 1,000,000 customers.
        name_parts as (
            select *,
                list_filter(coalesce(str_split(given_part, ' '), []), part -> part <> '') as given_parts,
                list_filter(coalesce(str_split(replace(name_last, '-', ' '), ' '), []), part -> part <> '') as surname_parts
            from named, (select map($variants, $canonicals) as canonical_of)
        ),
        -- Every part looked up once; the given names are the first of them.
        canonical as (
            select * exclude (given_parts, surname_parts, canonical_of, parts_canon),
                case when len(given_parts) > 0 then parts_canon[1:len(given_parts)] end as given_canon,
                case when len(parts_canon) > 0 then list_sort(list_distinct(parts_canon)) end as tokens
            from (
                select *,
                    list_transform(list_concat(given_parts, surname_parts), part -> coalesce(canonical_of[part], part)) as parts_canon
                from name_parts
            )
        ),
        emails as (
            select record_key,
                case when split_part(email_lower, '@', 2) = 'googlemail.com' then 'gmail.com' else split_part(email_lower, '@', 2) end as domain,
                regexp_replace(split_part(email_lower, '@', 1), '\\+.*$', '') as local_untagged
            from folded
            where email_lower like '%_@_%.%' and email_lower not like '% %'
        ),
        phones as (
            select record_key,
                regexp_replace(
                    case when phone_digits like '+%' then phone_digits
                         when phone_digits like '00%' then '+' || substr(phone_digits, 3)
                         when phone_digits like '358%' and length(phone_digits) >= 10 then '+' || phone_digits
                         when phone_digits like '0%' then '+358' || substr(phone_digits, 2)
                         when length(phone_digits) between 7 and 10 then '+358' || phone_digits
                    end, '^\\+3580', '+358') as e164
            from folded
            where length(regexp_replace(phone_digits, '[^0-9]', '', 'g')) >= 6
        ),
        keyed as (
            select
                n.record_key, n.source, n.entity, n.customer_type,
                n.first_name, n.last_name, n.email, n.phone, n.company_name,
                str_split(n.given_part, ' ')[1] as name_first,
                n.name_last,
                str_split(n.given_part, ' ') as name_given,
                n.given_canon[1] as name_first_canon,
                n.given_canon as name_given_canon,
                n.tokens as name_tokens,
                e.domain as email_domain,
                case when e.domain = 'gmail.com' then replace(e.local_untagged, '.', '') else e.local_untagged end as email_local,
                p.e164 as phone_e164,
                nullif(array_to_string(list_filter(str_split({_fold('n.company_name')}, ' '),
                    t -> not list_contains({legal_forms}, t)), ' '), '') as company_std,
                {_fold('n.street_address')} as street_folded,
                nullif(regexp_extract(n.postal_code, '[0-9]{{5}}'), '') as postal_code_std,
                {_fold('n.city')} as city_std,
                nullif(regexp_replace(n.business_id, '[^0-9]', '', 'g'), '') as business_id_std,
                try_cast(n.date_of_birth as date) as date_of_birth_std
            from canonical as n
            left join emails as e using (record_key)
            left join phones as p using (record_key)
        )
        select * exclude (street_folded, email_local, email_domain, phone_e164, name_tokens),
            case when list_contains({_sql_list(never.get('email_local') or [])}, email_local)
                   or list_contains({_sql_list(never.get('email') or [])}, email_local || '@' || email_domain)
                 then null else email_local || '@' || email_domain end as email_canon,
            case when list_contains({_sql_list(never.get('email_local') or [])}, email_local) then null else email_local end as email_local,
            email_domain,
            case when list_contains({_sql_list(never.get('phone') or [])}, phone_e164) then null else phone_e164 end as phone_e164,
            coalesce(phone_e164 like '+3584%' or phone_e164 like '+35850%', false) as phone_is_mobile,
            name_tokens,
            nullif(array_to_string(name_tokens, ' '), '') as name_key,
            -- "Mannerheimintie 5 A 12" and "Mannerheimintie 5a 12" are one address.
            regexp_replace(street_folded, '([0-9]) ([a-z])\\b', '\\1\\2', 'g') as street_std
        from keyed
        """,
        {"variants": [v for v, _ in variants], "canonicals": [c for _, c in variants]},
    )
    con.execute(f"drop table if exists {source}")
    return name
