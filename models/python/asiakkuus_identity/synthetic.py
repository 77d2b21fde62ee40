"""Small synthetic customer records of int_customer_records' shape, with known true
customers, for checking the customer matching model end to end without a warehouse.

Not a realistic sample (the project's sample generator is that): just enough namesakes,
typos, missing values, changed addresses, shared company numbers and e-mail-only
newsletter subscribers that a wrong comparison or blocking rule shows in the scores.
"""

from __future__ import annotations

import random
from typing import Any

import pyarrow as pa

FIRST_NAMES = ["Matti", "Mikko", "Juha", "Timo", "Jari", "Antti", "Sami", "Heikki", "Pekka", "Janne",
               "Anna", "Maria", "Tiina", "Sari", "Päivi", "Minna", "Johanna", "Laura", "Riikka", "Säde",
               "Jönne", "Åsa", "Elina", "Kaisa", "Tuomas", "Ville", "Olli", "Noora", "Hanna", "Eero"]
# Surnames from stems and endings (Virta-nen, Mäki-lä, ...): enough of them that
# namesakes are about as rare as in a real customer base, a few much more common.
SURNAME_STEMS = ["Virta", "Korho", "Mäki", "Niemi", "Hämäl", "Lai", "Heikki", "Koski", "Järvi", "Lehto",
                 "Saari", "Salmi", "Heino", "Kinnu", "Turu", "Rant", "Karjala", "Joki", "Matti", "Savo",
                 "Lahti", "Aho", "Öh", "Åber", "Hyvö", "Björk", "Väisä", "Pöllä", "Kärkkä", "Söder",
                 "Lind", "Ylö", "Kallio", "Harju", "Peltö", "Mustö", "Leino", "Hiltu", "Sirviö", "Tapio"]
SURNAME_ENDINGS = ["nen", "lä", "lainen", "ström"]
LAST_NAMES = [stem + ending for stem in SURNAME_STEMS for ending in SURNAME_ENDINGS]
PLACES = [("00100", "helsinki"), ("00180", "helsinki"), ("02100", "espoo"), ("01300", "vantaa"),
          ("33100", "tampere"), ("20100", "turku"), ("90100", "oulu"), ("40100", "jyvaskyla"),
          ("15110", "lahti"), ("70100", "kuopio")]
STREETS = ["mannerheimintie", "hameenkatu", "aleksanterinkatu", "puistokatu", "koulukatu", "rantatie",
           "kirkkokatu", "asemakatu", "kauppakatu", "mäntytie", "koivukuja", "satamakatu"]
DOMAINS = ["gmail.com", "outlook.com", "hotmail.com", "elisanet.fi", "kolumbus.fi", "yahoo.com"]
COMPANY_WORDS = ["rakennus", "kuljetus", "sähkö", "ravintola", "tilitoimisto", "kone", "metalli", "puu",
                 "design", "konsultointi", "lvi", "autohuolto"]
SOURCES = [("erp", "customers"), ("crm", "contacts"), ("webshop", "accounts"), ("helpdesk", "requesters")]


def fold(text: str) -> str:
    """ä/ö/å folded to a/o/a, as int_customer_records' *_folded columns."""
    return text.lower().replace("ä", "a").replace("ö", "o").replace("å", "a")


def _fold_or_null(text: str | None) -> str | None:
    return None if text is None else fold(text)


def _typo(rng: random.Random, text: str) -> str:
    position = rng.randrange(1, len(text))
    kind = rng.choice(["drop", "swap", "replace"])
    if kind == "drop":
        return text[:position] + text[position + 1:]
    if kind == "swap" and position < len(text) - 1:
        return text[:position] + text[position + 1] + text[position] + text[position + 2:]
    return text[:position] + rng.choice("aeiklmnorstu") + text[position + 1:]


def _person(rng: random.Random, entity: int, emails_taken: set[str]) -> dict[str, Any]:
    # Squared random index: a few surnames much more common than the rest, as in Finland.
    last = LAST_NAMES[int(rng.random() ** 2 * len(LAST_NAMES))]
    first = rng.choice(FIRST_NAMES)
    postcode, city = rng.choice(PLACES)
    domain, other_domain = rng.sample(DOMAINS, 2)
    base = f"{fold(first)}.{fold(last)}"
    local = base if rng.random() < 0.7 else f"{base}{rng.randrange(1, 99)}"
    # An address belongs to one person: a namesake's gets a number, as mail services
    # insist. Each person also has an address at another domain that some records carry.
    while f"{local}@{domain}" in emails_taken or f"{local}@{other_domain}" in emails_taken:
        local = f"{base}{rng.randrange(1, 99)}"
    emails_taken.update({f"{local}@{domain}", f"{local}@{other_domain}"})
    return {
        "entity": entity, "customer_type": "consumer", "first": first.lower(), "last": last.lower(), "company": None,
        "email_local": local, "email_domain": domain, "other_email_domain": other_domain, "phone": f"+35840{rng.randrange(10**6, 10**7)}",
        "postcode": postcode, "city": city, "street": f"{rng.choice(STREETS)} {rng.randrange(1, 80)}",
    }


def _company(rng: random.Random, entity: int) -> dict[str, Any]:
    owner = rng.choice(LAST_NAMES).lower()
    name = f"{rng.choice(COMPANY_WORDS)} {owner}"
    postcode, city = rng.choice(PLACES)
    return {
        "entity": entity, "customer_type": "business", "first": rng.choice(FIRST_NAMES).lower(), "last": owner,
        "company": name, "email_local": "info", "email_domain": f"{fold(name).replace(' ', '')}.fi",
        "phone": f"+3589{rng.randrange(10**6, 10**7)}", "postcode": postcode, "city": city,
        "street": f"{rng.choice(STREETS)} {rng.randrange(1, 80)}",
    }


def _record(rng: random.Random, truth: dict[str, Any], source: tuple[str, str], key: str) -> dict[str, Any]:
    """One source record of a true customer, with the noise sources add."""
    first, last = truth["first"], truth["last"]
    if rng.random() < 0.15:
        first = _typo(rng, first)
    if rng.random() < 0.15:
        last = _typo(rng, last)
    domain = truth["email_domain"] if rng.random() < 0.8 else truth.get("other_email_domain", truth["email_domain"])
    email_local = truth["email_local"]
    if rng.random() < 0.1:  # another address altogether, e.g. from work
        email_local, domain = f"{truth['first'][0]}{fold(truth['last'])}{rng.randrange(10, 99)}", rng.choice(DOMAINS)
    has_email = rng.random() < 0.85
    postcode, city, street = truth["postcode"], truth["city"], truth["street"]
    if rng.random() < 0.1:  # moved
        postcode, city = rng.choice(PLACES)
        street = f"{rng.choice(STREETS)} {rng.randrange(1, 80)}"
    if rng.random() < 0.1:
        street = street.replace(" ", "", 1) if rng.random() < 0.5 else _typo(rng, street)
    return _row(key, source, truth["customer_type"], first, last, truth["company"],
                f"{email_local}@{domain}" if has_email else None,
                truth["phone"] if rng.random() < 0.7 else None,
                postcode if rng.random() < 0.9 else None, city, street if rng.random() < 0.85 else None)


def _subscriber(rng: random.Random, truth: dict[str, Any], key: str) -> dict[str, Any]:
    """A newsletter subscriber: an e-mail address and perhaps a name, nothing else."""
    named = rng.random() < 0.5
    return _row(key, ("newsletter", "subscribers"), None, truth["first"] if named else None, truth["last"] if named else None,
                None, f"{truth['email_local']}@{truth['email_domain']}", None, None, None, None)


def _row(key: str, source: tuple[str, str], customer_type: str | None, first: str | None, last: str | None,
         company: str | None, email: str | None, phone: str | None, postcode: str | None, city: str | None,
         street: str | None) -> dict[str, Any]:
    local, _, domain = email.partition("@") if email else (None, None, None)
    return {
        "record_key": key, "source": source[0], "entity": source[1], "customer_type": customer_type,
        "first_name_std": first, "last_name_std": last, "first_name_folded": _fold_or_null(first), "last_name_folded": _fold_or_null(last),
        "company_name_std": company, "email_std": email, "email_local": local, "email_domain": domain,
        "phone_e164": phone, "postal_code_std": postcode, "city_std": city, "street_std": street,
    }


def synthetic_customers(persons: int = 3000, companies: int = 300, seed: int = 7) -> tuple[pa.Table, pa.Table]:
    """(records, truth): records of int_customer_records' shape, and record_key -> entity_id."""
    rng = random.Random(seed)
    emails_taken: set[str] = set()
    truths = [_person(rng, i, emails_taken) for i in range(persons)] + [_company(rng, persons + i) for i in range(companies)]
    records: list[dict[str, Any]] = []
    truth_rows: list[tuple[str, str]] = []
    for truth in truths:
        copies = rng.choices([1, 2, 3, 4], weights=[45, 30, 15, 10])[0]
        for copy in range(copies):
            key = f"r{truth['entity']}-{copy}"
            if truth["customer_type"] == "consumer" and rng.random() < 0.2:
                records.append(_subscriber(rng, truth, f"newsletter.subscribers:{key}"))
            else:
                source = rng.choice(SOURCES)
                records.append(_record(rng, truth, source, f"{source[0]}.{source[1]}:{key}"))
            truth_rows.append((records[-1]["record_key"], str(truth["entity"])))
    columns = list(records[0])
    record_table = pa.table({c: [r[c] for r in records] for c in columns})
    truth_table = pa.table({"record_key": [k for k, _ in truth_rows], "entity_id": [e for _, e in truth_rows]})
    return record_table, truth_table
