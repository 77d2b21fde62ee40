"""An evaluation set for customer identity resolution that the project's sample generator
(ingest/sample, TypeScript) does not produce, and the CLI that scores the production
engine (resolution.resolve with the default customer model) on it.

    PYTHONPATH=models/python .venv/bin/python -m asiakkuus_identity.evalset [--json] [--persons N] [--seed S] [--write DIR]

Written separately from the sample generator, with its own noise model, so that the
engine is measured on variation it was not shaped on.

Noise model
-----------
People: Finnish given names (a share of them with everyday variants, some with a second
given name) and surnames, a date of birth, a home address, a personal mobile, a private
e-mail at a consumer domain (about a third at gmail.com). People live in households and
work at companies:

    spouses        two people at one address with one landline, 70 % with one surname,
                   each with their own mobile and e-mail; one couple in ten also shares a
                   family e-mail (both use it somewhere, the newsletter holds it without a name)
    twins          same surname, same date of birth, same address and landline, other first names
    parent_child   parent and adult child with the SAME first and last name at one address
                   with one landline, dates of birth 20-35 years apart, different second given names
    colleagues     3-5 people at one company: same company name (legal form written in
                   Finnish, Swedish or English), street, switchboard number, business id and
                   e-mail domain

Records: each person has a base record (erp, crm or webshop) and 0-4 more, each made with
exactly ONE variation kind (its label):

    plus_addressing     matti+shop@domain
    gmail_dots          dots added to / removed from a gmail local part
    googlemail          the same gmail address at googlemail.com
    domain_typo         gmial.com, hotmial.com, outlok.com, ... (one edit in the domain)
    work_email          firstname.lastname@employer domain, with the mobile or the address
    swapped_names       first and last name the wrong way round
    name_in_one_field   "Matti Virtanen" as first name, no last name
    married_name        another surname, same given name, the e-mail or mobile kept
    nickname            an everyday variant of the given name (Kati for Katariina)
    second_given_name   the second given name only, or both
    phone_format        the mobile in another Finnish format, no e-mail
    newsletter_only     a newsletter record: the e-mail and, half the time, the name
    name_typo           one typing error in a name
    moved               a new address, e-mail and mobile kept
    nameless_family_email  the family e-mail without a name (should go to review)

Every record writes its phone in a randomly chosen Finnish format and a share of
addresses drop or reformat the flat letter. Ground truth: record -> person and kind;
hard-negative person pairs with their kind. The generator never reads the engine's
configuration or variant table's contents beyond the public name variants it lists below.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from typing import Any

import duckdb
import pyarrow as pa

from .customer import customer_settings
from .resolution import resolve

# Given names with their everyday variants, from common Finnish usage (listed here on
# their own, not read from the engine's table, so the set tests the table).
VARIANT_NAMES = {
    "Katariina": ["Kati", "Katri", "Kaisa"], "Juhani": ["Jussi", "Juha"], "Johannes": ["Jussi", "Hannes"],
    "Elisabet": ["Liisa", "Elisa"], "Helena": ["Leena"], "Kristiina": ["Kirsi", "Kirsti"], "Johanna": ["Hanna"],
    "Henrik": ["Heikki"], "Mikael": ["Mikko"], "Aleksanteri": ["Santeri", "Santtu"], "Sakari": ["Saku"],
    "Kaarlo": ["Kalle"], "Lauri": ["Lasse"], "Matias": ["Matti"], "Margareta": ["Marketta", "Reetta"],
}
PLAIN_NAMES_F = ["Anna", "Tiina", "Sari", "Päivi", "Minna", "Laura", "Elina", "Noora", "Aino", "Eeva", "Satu", "Pirjo",
                 "Sanna", "Heidi", "Jenni", "Outi", "Riitta", "Ulla", "Marjut", "Saara", "Iida", "Emilia", "Venla", "Sofia"]
PLAIN_NAMES_M = ["Timo", "Jari", "Antti", "Sami", "Janne", "Tuomas", "Ville", "Olli", "Eero", "Pasi", "Jukka", "Kari",
                 "Markku", "Petri", "Tero", "Ari", "Harri", "Jouni", "Risto", "Vesa", "Onni", "Eino", "Leo", "Veeti"]
SECOND_NAMES = ["Juhani", "Olavi", "Johannes", "Henrik", "Tapio", "Ilmari", "Kalevi", "Maria", "Helena", "Kristiina",
                "Johanna", "Sofia", "Orvokki", "Annikki", "Eemeli", "Aleksi", "Kaarina", "Elisabet"]
SURNAME_STEMS = ["Virta", "Korho", "Mäki", "Niemi", "Hämäl", "Lai", "Heikki", "Koski", "Järvi", "Lehto", "Saari",
                 "Salmi", "Heino", "Kinnu", "Turu", "Rant", "Karjala", "Joki", "Savo", "Lahti", "Aho", "Öh", "Hyvö",
                 "Väisä", "Pöllä", "Kärkkä", "Ylö", "Kallio", "Harju", "Leino", "Hiltu", "Sirviö", "Pelto", "Huttu",
                 "Kokko", "Rasa", "Toivo", "Tikka", "Vuori", "Suomi", "Nurmi", "Kivi", "Manni", "Ranta", "Laakso"]
SURNAME_ENDINGS = ["nen", "la", "lä", "mo", "vaara", "salo"]
SURNAMES = [stem + ending for stem in SURNAME_STEMS for ending in SURNAME_ENDINGS]
CONSUMER_DOMAINS = ["gmail.com", "gmail.com", "gmail.com", "hotmail.com", "outlook.com", "elisanet.fi", "kolumbus.fi",
                    "luukku.com", "yahoo.com", "suomi24.fi", "saunalahti.fi"]
DOMAIN_TYPOS = {"gmail.com": ["gmial.com", "gmail.co", "gmal.com", "gnail.com"], "hotmail.com": ["hotmial.com", "hotmail.co"],
                "outlook.com": ["outlok.com", "outloook.com"], "elisanet.fi": ["elisanet.fl", "elisnet.fi"],
                "kolumbus.fi": ["kolumbus.f", "kolumbs.fi"], "luukku.com": ["luuku.com"], "yahoo.com": ["yaho.com"],
                "suomi24.fi": ["suomi42.fi"], "saunalahti.fi": ["saunalahti.fii", "saunalaht.fi"]}
STREETS = ["Mannerheimintie", "Hämeenkatu", "Aleksanterinkatu", "Puistokatu", "Koulukatu", "Rantatie", "Kirkkokatu",
           "Asemakatu", "Kauppakatu", "Mäntytie", "Koivukuja", "Satamakatu", "Kalevankatu", "Pihlajatie", "Tehtaankatu",
           "Vanha Porvoontie", "Itäinen Pitkäkatu", "Ratakatu", "Sibeliuksenkatu", "Runeberginkatu"]
PLACES = [("00100", "Helsinki"), ("00180", "Helsinki"), ("00530", "Helsinki"), ("02100", "Espoo"), ("02230", "Espoo"),
          ("01300", "Vantaa"), ("33100", "Tampere"), ("33500", "Tampere"), ("20100", "Turku"), ("90100", "Oulu"),
          ("40100", "Jyväskylä"), ("15110", "Lahti"), ("70100", "Kuopio"), ("80100", "Joensuu"), ("65100", "Vaasa")]
COMPANY_WORDS = ["Rakennus", "Kuljetus", "Sähkö", "Ravintola", "Tilitoimisto", "Kone", "Metalli", "Puu", "Design",
                 "Konsultointi", "LVI", "Autohuolto", "Kiinteistö", "Sauna", "Mökki", "Kattohuolto"]
LEGAL_FORMS = ["Oy", "Oy", "Ab", "Ltd", "Osakeyhtiö", "Aktiebolag", "Ky", "Tmi", "Oyj"]
VARIATION_KINDS = ["plus_addressing", "gmail_dots", "googlemail", "domain_typo", "work_email", "swapped_names",
                   "name_in_one_field", "married_name", "nickname", "second_given_name", "phone_format",
                   "newsletter_only", "name_typo", "moved"]
HOUSEHOLD_KINDS = ("spouses", "twins", "parent_child")
HARD_NEGATIVE_KINDS = (*HOUSEHOLD_KINDS, "colleagues")


def fold(text: str) -> str:
    return text.lower().replace("ä", "a").replace("ö", "o").replace("å", "a")


def _typo(rng: random.Random, text: str) -> str:
    position = rng.randrange(1, len(text) - 1) if len(text) > 2 else 1
    kind = rng.choice(["drop", "swap", "replace", "double"])
    if kind == "drop":
        return text[:position] + text[position + 1:]
    if kind == "swap":
        return text[:position] + text[position + 1:position + 2] + text[position] + text[position + 2:]
    if kind == "double":
        return text[:position] + text[position] + text[position:]
    return text[:position] + rng.choice("aeiklmnorstuy") + text[position + 1:]


def _phone_formats(rng: random.Random, e164: str) -> str:
    """One of the ways Finns write a number: +358 40 123 4567, 040-1234567, 040 123 4567,
    00358401234567, +358 (0)40 1234567, (040) 123 4567, 358401234567, 0401234567."""
    national = e164[4:]  # without +358
    area, rest = (national[:2], national[2:]) if national[0] in "45" else (national[:1], national[1:])
    options = [f"+358 {area} {rest[:3]} {rest[3:]}", f"0{area}-{rest}", f"0{area} {rest[:3]} {rest[3:]}", f"00358{national}",
               f"+358 (0){area} {rest}", f"(0{area}) {rest[:3]} {rest[3:]}", f"358{national}", f"0{area}{rest}", e164]
    return rng.choice(options)


def _e164_of(written: str) -> str:
    """The number behind one of _phone_formats' forms (+358...)."""
    digits = "".join(c for c in written.replace("(0)", "") if c.isdigit())
    if digits.startswith("00358"):
        return "+" + digits[2:]
    if digits.startswith("358"):
        return "+" + digits
    return "+358" + digits.lstrip("0")


class _People:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.emails: set[str] = set()
        self.phones: set[str] = set()
        self.next_id = 0

    def _unique_phone(self, prefix: str, digits: int) -> str:
        while True:
            phone = prefix + "".join(self.rng.choice("0123456789") for _ in range(digits))
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def mobile(self) -> str:
        return self._unique_phone(self.rng.choice(["+35840", "+35841", "+35844", "+35845", "+35850"]), 7)

    def landline(self, postcode: str) -> str:
        area = {"0": "9", "3": "3", "2": "2", "9": "8", "4": "14", "1": "3", "7": "17", "8": "13", "6": "6"}[postcode[0]]
        return self._unique_phone("+358" + area, 7 if len(area) == 1 else 6)

    def email(self, first: str, last: str, domain: str | None = None) -> str:
        domain = domain or self.rng.choice(CONSUMER_DOMAINS)
        base = self.rng.choice([f"{fold(first)}.{fold(last)}", f"{fold(first)}{fold(last)}", f"{fold(first)[0]}{fold(last)}",
                                f"{fold(first)}.{fold(last)}{self.rng.randrange(1, 99)}"]).replace(" ", "")
        local = base

        def taken(local: str) -> bool:
            # Gmail ignores dots: "harri.korhola" and "harrikorhola" are one mailbox there.
            return f"{local}@{domain}" in self.emails or (domain == "gmail.com" and f"{local.replace('.', '')}@{domain}" in self.emails)
        while taken(local):
            local = f"{base}{self.rng.randrange(1, 999)}"
        self.emails.update({f"{local}@{domain}", f"{local.replace('.', '')}@{domain}"})
        return f"{local}@{domain}"

    def given_names(self, female: bool | None = None) -> list[str]:
        rng = self.rng
        if rng.random() < 0.35:
            first = rng.choice(list(VARIANT_NAMES))
        else:
            first = rng.choice(PLAIN_NAMES_F if (female if female is not None else rng.random() < 0.5) else PLAIN_NAMES_M)
        names = [first]
        if rng.random() < 0.3:
            names.append(rng.choice([n for n in SECOND_NAMES if n != first and n not in VARIANT_NAMES.get(first, [])]))
        return names

    def person(self, *, given: list[str] | None = None, last: str | None = None, home: dict[str, Any] | None = None,
               dob: str | None = None, employer: dict[str, Any] | None = None) -> dict[str, Any]:
        rng = self.rng
        self.next_id += 1
        given = given or self.given_names()
        last = last or SURNAMES[int(rng.random() ** 1.5 * len(SURNAMES))]
        if home is None:
            postcode, city = rng.choice(PLACES)
            home = {"street": f"{rng.choice(STREETS)} {rng.randrange(1, 120)}" + (f" {rng.choice('ABCDEF')} {rng.randrange(1, 40)}" if rng.random() < 0.5 else ""),
                    "postcode": postcode, "city": city, "landline": None}
        return {
            "person_id": f"P{self.next_id:05d}", "given": given, "last": last, "home": home,
            "dob": dob or f"{rng.randrange(1940, 2004)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            "mobile": self.mobile(), "email": self.email(given[0], last), "employer": employer,
        }


def _street_variant(rng: random.Random, street: str) -> str:
    """'Puistokatu 5 A 12' also as 'Puistokatu 5a 12' or 'Puistok. 5 A 12'."""
    if rng.random() < 0.2:
        return street.replace(" A ", "a ").replace(" B ", "b ").replace(" C ", "c ")
    return street


class EvalSet:
    """Records, truth (record_key -> person_id, kind) and hard-negative person pairs."""

    def __init__(self, persons: int = 3200, seed: int = 20261201) -> None:
        self.rng = random.Random(seed)
        self.people = _People(self.rng)
        self.persons: list[dict[str, Any]] = []
        self.negatives: list[tuple[str, str, str]] = []
        self.records: list[dict[str, Any]] = []
        self.truth: list[tuple[str, str, str]] = []
        self._build(persons)

    # -- people -------------------------------------------------------------------
    def _build(self, target: int) -> None:
        rng, people = self.rng, self.people
        companies = []
        for i in range(max(1, target // 60)):
            postcode, city = rng.choice(PLACES)
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(SURNAMES)}"
            companies.append({"name": name, "street": f"{rng.choice(STREETS)} {rng.randrange(1, 60)}", "postcode": postcode,
                              "city": city, "switchboard": people.landline(postcode),
                              "domain": fold(name).replace(" ", "") + rng.choice([".fi", ".com"]),
                              "business_id": f"{rng.randrange(1000000, 9999999)}-{rng.randrange(0, 10)}", "id": i})
        while len(self.persons) < target:
            roll = rng.random()
            if roll < 0.18:
                self._spouses()
            elif roll < 0.22:
                self._twins()
            elif roll < 0.27:
                self._parent_and_child()
            elif roll < 0.40:
                self._colleagues(rng.choice(companies))
            else:
                self.persons.append(people.person())
        for person in self.persons:
            self._records_of(person)

    def _shared_home(self) -> dict[str, Any]:
        postcode, city = self.rng.choice(PLACES)
        return {"street": f"{self.rng.choice(STREETS)} {self.rng.randrange(1, 120)}" + (f" {self.rng.choice('ABC')} {self.rng.randrange(1, 30)}" if self.rng.random() < 0.5 else ""),
                "postcode": postcode, "city": city, "landline": self.people.landline(postcode)}

    def _pair(self, a: dict[str, Any], b: dict[str, Any], kind: str) -> None:
        self.persons += [a, b]
        self.negatives.append((a["person_id"], b["person_id"], kind))

    def _different_given(self, other: list[str]) -> list[str]:
        taken = {fold(n) for n in other} | {fold(v) for n in other for v in VARIANT_NAMES.get(n, [])}
        taken |= {fold(k) for k, vs in VARIANT_NAMES.items() for v in vs if fold(v) in taken}
        while True:
            given = self.people.given_names()
            if fold(given[0]) not in taken and not any(fold(g) in taken for g in given):
                return given

    def _spouses(self) -> None:
        home = self._shared_home()
        a = self.people.person(home=home)
        b = self.people.person(given=self._different_given(a["given"]), last=a["last"] if self.rng.random() < 0.7 else None, home=home)
        if self.rng.random() < 0.1:
            family = self.people.email(a["last"], "perhe")
            a["family_email"] = b["family_email"] = family
        self._pair(a, b, "spouses")

    def _twins(self) -> None:
        home = self._shared_home()
        a = self.people.person(home=home)
        b = self.people.person(given=self._different_given(a["given"]), last=a["last"], home=home, dob=a["dob"])
        self._pair(a, b, "twins")

    def _parent_and_child(self) -> None:
        home = self._shared_home()
        first = self.rng.choice(list(VARIANT_NAMES) + PLAIN_NAMES_M + PLAIN_NAMES_F)
        seconds = self.rng.sample(SECOND_NAMES, 2)
        parent = self.people.person(given=[first, seconds[0]], home=home)
        year = int(parent["dob"][:4]) + self.rng.randrange(20, 36)
        child = self.people.person(given=[first, seconds[1]], last=parent["last"], home=home,
                                   dob=f"{min(year, 2005)}-{self.rng.randrange(1, 13):02d}-{self.rng.randrange(1, 29):02d}")
        self._pair(parent, child, "parent_child")

    def _colleagues(self, company: dict[str, Any]) -> None:
        staff = company.setdefault("staff", [])
        for _ in range(self.rng.randrange(3, 6)):
            given = self._different_given([g for s in staff for g in s["given"]]) if staff else None
            person = self.people.person(given=given, employer=company)
            person["work_email"] = self.people.email(person["given"][0], person["last"], company["domain"])
            self.negatives += [(colleague["person_id"], person["person_id"], "colleagues") for colleague in staff]
            staff.append(person)
            self.persons.append(person)

    # -- records ------------------------------------------------------------------
    def _record(self, person: dict[str, Any], kind: str, source: str, **fields: Any) -> None:
        entity = {"erp": "customers", "crm": "contacts", "webshop": "accounts", "helpdesk": "requesters", "newsletter": "subscribers"}[source]
        key = f"{source}.{entity}:E{len(self.records) + 1:06d}"
        row = {"record_key": key, "source": source, "entity": entity, "customer_type": "consumer", "company_name": None,
               "first_name": None, "last_name": None, "email": None, "phone": None, "street_address": None,
               "postal_code": None, "city": None, "business_id": None, "date_of_birth": None}
        row.update(fields)
        self.records.append(row)
        self.truth.append((key, person["person_id"], kind))

    def _base_fields(self, person: dict[str, Any], *, address: bool = True, phone: str | None = "mobile",
                     as_employee: bool = True) -> dict[str, Any]:
        rng = self.rng
        home = person["home"]
        # Someone known by a second given name in one system has both names in another.
        both = rng.random() < 0.5 or person.get("known_by_second_name", False)
        fields: dict[str, Any] = {"first_name": " ".join(person["given"]) if both else person["given"][0],
                                  "last_name": person["last"], "email": person["email"]}
        number = person["mobile"] if phone == "mobile" else home["landline"] if phone == "landline" else None
        if number:
            fields["phone"] = _phone_formats(rng, number)
        if address:
            fields.update(street_address=_street_variant(rng, home["street"]), postal_code=home["postcode"], city=home["city"])
        if rng.random() < 0.3:
            fields["date_of_birth"] = person["dob"]
        if as_employee and person.get("employer") and rng.random() < 0.6:
            company = person["employer"]
            fields.update(customer_type="business", company_name=f"{company['name']} {rng.choice(LEGAL_FORMS)}",
                          email=person["work_email"], phone=_phone_formats(rng, company["switchboard"]) if rng.random() < 0.15 else fields.get("phone"),
                          street_address=company["street"], postal_code=company["postcode"], city=company["city"],
                          business_id=company["business_id"] if rng.random() < 0.5 else None)
        return fields

    def _records_of(self, person: dict[str, Any]) -> None:
        rng = self.rng
        home_phone = "landline" if person["home"].get("landline") and rng.random() < 0.4 else "mobile"
        person["main_phone"] = person["home"]["landline"] if home_phone == "landline" else person["mobile"]
        kinds = self._applicable_kinds(person)
        chosen = rng.sample(kinds, rng.choices([0, 1, 2, 3, 4], weights=[20, 35, 25, 12, 8])[0])
        person["known_by_second_name"] = "second_given_name" in chosen
        base = self._base_fields(person, phone=home_phone)
        person["base_record"] = base
        self._record(person, "business_contact" if base.get("customer_type") == "business" else "base", rng.choice(["erp", "crm", "webshop"]), **base)
        if person.get("family_email"):
            # Both spouses use the family address somewhere; the newsletter holds it with no name.
            self._record(person, "family_email", "helpdesk", first_name=person["given"][0], last_name=person["last"],
                         email=person["family_email"], phone=_phone_formats(self.rng, person["main_phone"]))
            if person is self._first_of_family(person):
                self._record(person, "nameless_family_email", "newsletter", email=person["family_email"])
        for kind in chosen:
            self._variant(person, kind)

    def _first_of_family(self, person: dict[str, Any]) -> dict[str, Any]:
        return next(p for p in self.persons if p.get("family_email") == person["family_email"])

    def _applicable_kinds(self, person: dict[str, Any]) -> list[str]:
        kinds = list(VARIATION_KINDS)
        if not person["email"].endswith("@gmail.com"):
            kinds = [k for k in kinds if k not in ("gmail_dots", "googlemail")]
        if person["given"][0] not in VARIANT_NAMES:
            kinds.remove("nickname")
        if len(person["given"]) < 2:
            kinds.remove("second_given_name")
        return kinds

    def _variant(self, person: dict[str, Any], kind: str) -> None:
        rng = self.rng
        given, last, email = person["given"], person["last"], person["email"]
        local, domain = email.split("@")
        # Variants are private records: the person's own e-mail, mobile and home.
        # Each keeps at least one identifier its person's base record has too (unless the
        # kind is about that identifier), else nothing but the name could find it.
        main_phone = "landline" if person["main_phone"] != person["mobile"] else "mobile"
        fields = self._base_fields(person, address=rng.random() < 0.5, phone=main_phone if rng.random() < 0.5 else None, as_employee=False)
        fields["first_name"] = given[0]
        source = rng.choice(["erp", "crm", "webshop", "helpdesk"])
        if kind == "plus_addressing":
            fields["email"] = f"{local}+{rng.choice(['shop', 'news', 'tilaukset', 'sauna', '2024'])}@{domain}"
        elif kind == "gmail_dots":
            fields["email"] = (local.replace(".", "") if "." in local else ".".join(local[i:i + 3] for i in range(0, len(local), 3))) + "@gmail.com"
        elif kind == "googlemail":
            fields["email"] = f"{local}@googlemail.com"
        elif kind == "domain_typo":
            fields["email"] = f"{local}@{rng.choice(DOMAIN_TYPOS[domain])}"
        elif kind == "work_email":
            employer = person.get("employer")
            fields["email"] = person.get("work_email") or self.people.email(given[0], last, f"{fold(rng.choice(COMPANY_WORDS))}{rng.randrange(1, 99)}.fi")
            if employer is None:
                # A work address alone says nothing about a private person: the record
                # keeps the mobile or the home address as a real CRM contact would.
                fields["phone"] = _phone_formats(rng, person["main_phone"]) if rng.random() < 0.6 else None
                if fields["phone"] is None:
                    home = person["home"]
                    fields.update(street_address=home["street"], postal_code=home["postcode"], city=home["city"])
        elif kind == "swapped_names":
            fields["first_name"], fields["last_name"] = last, given[0]
        elif kind == "name_in_one_field":
            fields["first_name"], fields["last_name"] = rng.choice([f"{given[0]} {last}", f"{last} {given[0]}"]), None
        elif kind == "married_name":
            fields["last_name"] = rng.choice([n for n in SURNAMES if n != last]) if rng.random() < 0.7 else f"{last}-{rng.choice(SURNAMES)}"
            if rng.random() < 0.5:
                fields["email"] = None
                fields["phone"] = _phone_formats(rng, person["main_phone"])
        elif kind == "nickname":
            fields["first_name"] = rng.choice(VARIANT_NAMES[given[0]])
        elif kind == "second_given_name":
            fields["first_name"] = rng.choice([given[1], " ".join(given)])
        elif kind == "phone_format":
            fields["email"] = None
            fields["phone"] = _phone_formats(rng, person["main_phone"])
        elif kind == "newsletter_only":
            source = "newsletter"
            named = rng.random() < 0.5
            fields = {"email": email, "first_name": given[0] if named else None, "last_name": last if named else None}
        elif kind == "name_typo":
            if rng.random() < 0.5:
                fields["first_name"] = _typo(rng, given[0])
            else:
                fields["last_name"] = _typo(rng, last)
        elif kind == "moved":
            postcode, city = rng.choice(PLACES)
            fields.update(street_address=f"{rng.choice(STREETS)} {rng.randrange(1, 120)}", postal_code=postcode, city=city)
            fields["phone"] = _phone_formats(rng, person["mobile"]) if rng.random() < 0.5 else fields.get("phone")
        else:
            raise ValueError(f"unknown variation kind {kind}")
        base = person["base_record"]
        if kind not in ("newsletter_only", "phone_format") and base.get("phone") and not fields.get("phone") \
                and fields.get("email") != base.get("email"):
            # A business contact's record and a private one share the person's number
            # (the variant keeps its identifier under test; the number is what ties it).
            fields["phone"] = _phone_formats(rng, _e164_of(base["phone"]))
        self._record(person, kind, source, **fields)

    # -- tables -------------------------------------------------------------------
    def record_table(self) -> pa.Table:
        columns = list(self.records[0])
        return pa.table({c: [r[c] for r in self.records] for c in columns})

    def truth_table(self) -> pa.Table:
        return pa.table({"record_key": [t[0] for t in self.truth], "person_id": [t[1] for t in self.truth], "kind": [t[2] for t in self.truth]})

    def negatives_table(self) -> pa.Table:
        return pa.table({"person_a": [n[0] for n in self.negatives], "person_b": [n[1] for n in self.negatives], "kind": [n[2] for n in self.negatives]})


def evaluate(persons: int = 3200, seed: int = 20261201) -> dict[str, Any]:
    """Generate the set, run the production engine on it, and measure it."""
    data = EvalSet(persons, seed)
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")  # stdout carries the JSON
    try:
        con.register("evalset_records_arrow", data.record_table())
        con.execute("create table evalset_records as select * from evalset_records_arrow")
        con.register("evalset_truth_arrow", data.truth_table())
        con.execute("create table evalset_truth as select * from evalset_truth_arrow")
        con.register("evalset_negatives_arrow", data.negatives_table())
        con.execute("create table evalset_negatives as select * from evalset_negatives_arrow")
        started = time.perf_counter()
        pairs, clusters = resolve(con, "evalset_records", customer_settings())
        pairs.create("evalset_pairs")
        clusters.create("evalset_clusters")
        seconds = time.perf_counter() - started
        return {"records": len(data.records), "persons": len(data.persons), "seed": seed, "seconds": round(seconds, 2),
                **measure(con)}
    finally:
        con.close()


def measure(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Pairwise precision and recall of the clusters against the truth, recall per
    variation kind, false merges per hard-negative kind."""
    con.execute("""
        create or replace temp table labelled as
        select t.record_key, t.person_id, t.kind, c.cluster_id
        from evalset_truth t join evalset_clusters c using (record_key)""")
    (true_pairs, predicted_pairs, correct_pairs) = con.sql("""
        select
            (select sum(n * (n - 1) // 2) from (select count(*) n from labelled group by person_id)),
            (select sum(n * (n - 1) // 2) from (select count(*) n from labelled group by cluster_id)),
            (select sum(n * (n - 1) // 2) from (select count(*) n from labelled group by person_id, cluster_id))""").fetchone()
    precision = correct_pairs / predicted_pairs if predicted_pairs else 1.0
    recall = correct_pairs / true_pairs if true_pairs else 1.0
    # A true pair counts under the kind of each of its two records (base pairs with base
    # count as "base").
    per_kind = con.sql("""
        with true_pairs as (
            select a.kind as kind_a, b.kind as kind_b, a.cluster_id = b.cluster_id as joined
            from labelled a join labelled b on a.person_id = b.person_id and a.record_key < b.record_key
        ),
        by_kind as (
            select kind_a as kind, joined from true_pairs
            union all select kind_b, joined from true_pairs where kind_b <> kind_a
        )
        select kind, count(*) as pairs, count(*) filter (where joined) as joined from by_kind group by kind order by kind""").fetchall()
    # Hard negatives: person pairs that should stay apart, merged when any record of one
    # shares a cluster with a record of the other. "On address and phone alone": no
    # record pair between them shares an e-mail.
    merges = con.sql("""
        with merged as (
            select n.person_a, n.person_b, n.kind,
                bool_or(ra.email is not null and lower(ra.email) = lower(rb.email)) as shared_email
            from evalset_negatives n
            join labelled a on a.person_id = n.person_a
            join labelled b on b.person_id = n.person_b and b.cluster_id = a.cluster_id
            join evalset_records ra on ra.record_key = a.record_key
            join evalset_records rb on rb.record_key = b.record_key
            group by all
        )
        select n.kind, count(distinct (n.person_a, n.person_b)) as person_pairs,
            count(distinct (m.person_a, m.person_b)) filter (where m.person_a is not null) as merged,
            count(distinct (m.person_a, m.person_b)) filter (where m.person_a is not null and not m.shared_email) as merged_without_shared_email
        from evalset_negatives n left join merged m using (person_a, person_b, kind)
        group by n.kind order by n.kind""").fetchall()
    decisions = dict(con.sql("select decision, count(*) from evalset_pairs group by decision").fetchall())
    return {
        "pairs": {"true_pairs": int(true_pairs), "predicted_pairs": int(predicted_pairs), "correct_pairs": int(correct_pairs),
                  "precision": round(precision, 4), "recall": round(recall, 4),
                  "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0},
        "recall_by_kind": {kind: {"pairs": pairs, "joined": joined, "recall": round(joined / pairs, 4)} for kind, pairs, joined in per_kind},
        "false_merges_by_kind": {kind: {"person_pairs": pairs, "merged": merged, "merged_without_shared_email": alone}
                                 for kind, pairs, merged, alone in merges},
        "decisions": decisions,
    }


def _table(result: dict[str, Any]) -> str:
    p = result["pairs"]
    lines = [f"evaluation set: {result['records']} records of {result['persons']} persons (seed {result['seed']}), {result['seconds']} s",
             f"pairwise precision {p['precision']}, recall {p['recall']}, F1 {p['f1']} "
             f"({p['correct_pairs']} of {p['predicted_pairs']} predicted, {p['true_pairs']} true)",
             "recall by variation kind:"]
    lines += [f"  {kind:22} {r['recall']:>7} ({r['joined']}/{r['pairs']})" for kind, r in result["recall_by_kind"].items()]
    lines.append("false merges by hard-negative kind (person pairs merged / of; merged without a shared e-mail):")
    lines += [f"  {kind:22} {m['merged']:>5} / {m['person_pairs']}; {m['merged_without_shared_email']}" for kind, m in result["false_merges_by_kind"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--persons", type=int, default=3200)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--write", metavar="DIR", help="also write records.csv, truth.csv and hard_negatives.csv to DIR")
    args = parser.parse_args(argv)
    if args.write:
        import pyarrow.csv as pacsv
        from pathlib import Path
        data = EvalSet(args.persons, args.seed)
        Path(args.write).mkdir(parents=True, exist_ok=True)
        pacsv.write_csv(data.record_table(), f"{args.write}/records.csv")
        pacsv.write_csv(data.truth_table(), f"{args.write}/truth.csv")
        pacsv.write_csv(data.negatives_table(), f"{args.write}/hard_negatives.csv")
    result = evaluate(args.persons, args.seed)
    print(json.dumps(result, indent=2) if args.json else _table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
