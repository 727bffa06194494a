"""Realistic synthetic data: enterprises with valid credit codes, their projects,
and every record kind at the rates a city bureau sees, appended straight
through the application (as `credit-svc import` does), many per transaction, in
recorded order: enterprises first, then their records interleaved.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from credit_svc.adapters.acting import ACTING_KEY
from credit_svc.domain.credit_code import check_character
from credit_svc.domain.enterprise import Enterprise
from credit_svc.domain.record import RECORDED_EVENTS, CreditRecord
from credit_svc.services import Services

# Yantai (Shandong pack) and Mianyang (Sichuan pack) districts.
DIVISIONS = ("370602", "370613", "370611", "510703", "510704", "510722")
# Records per enterprise per year, by kind (city practice, rounded).
YEARLY_RATES = {
    "inspection": 2.0,
    "appraisal": 1.5,
    "party_building": 1.0,
    "good_credit": 0.3,
    "bad_credit": 0.5,
    "list_entry": 0.1,
}
KINDS, WEIGHTS = tuple(YEARLY_RATES), tuple(YEARLY_RATES.values())
AUTHORITY = "基准测试住建局"
START = date(2024, 1, 1)
DAYS = 1000  # records spread over 2024-01-01 .. 2026-09-27


def credit_code(serial: int, division: str) -> str:
    """Return a valid unified social credit code (GB 32100) for a serial."""
    first_17 = f"91{division}MA{serial:07d}"
    return first_17 + check_character(first_17)


def enterprise(serial: int) -> Enterprise:
    """Return a new enterprise with two projects."""
    division = DIVISIONS[serial % len(DIVISIONS)]
    company = Enterprise(
        credit_code=code_of(serial),
        name=f"基准物业{serial}号有限公司",
        jurisdiction=division,
        registered_by=AUTHORITY,
    )
    for project in ("P-1", "P-2"):
        company.add_project(project, f"{serial}号{project}小区", AUTHORITY)
    return company


def body(kind: str, rng: random.Random, day: date, number: str) -> dict[str, Any]:
    """Return the facts of one record of the kind, like a valid API body."""
    common = {
        "business_date": day,
        "authority": AUTHORITY,
        "document_number": number,
        "project_code": rng.choice(("", "P-1", "P-2")),
        "term_months": None,
    }
    return common | DETAILS[kind](rng)


DETAILS = {
    "inspection": lambda r: {
        "project_code": r.choice(("P-1", "P-2")),
        "inspection_type": r.choice(
            ("random_spot_check", "annual_inspection", "routine")
        ),
        "score": r.randint(50, 100),
        "passed": None,
        "findings": [],
        "rectification_deadline": None,
    },
    "appraisal": lambda r: {
        "assessor_type": r.choice(("street_party_committee", "owners_committee")),
        "period": "2025",
        "rating": r.choice(("excellent", "good", "fair", "poor")),
        "owner_satisfaction": None,
        "sample_size": None,
    },
    "party_building": lambda r: {
        "period": "2025",
        "has_party_organisation": r.random() < 0.7,
        "party_member_count": r.randint(0, 12),
        "joint_building": r.random() < 0.4,
        "score": None,
        "level": r.choice(("excellent", "good", "pass", "fail")),
    },
    "good_credit": lambda r: {
        "category": "honour",
        "level": r.choice(("city", "district", "provincial")),
        "title": "服务质量先进",
    },
    "bad_credit": lambda r: {
        "violation_code": "WY-0304",
        "description": "逾期未整改",
        "severity": r.choice(("minor", "minor", "general", "serious")),
        "points": None,
        "veto": False,
        "flags": [],
    },
    "list_entry": lambda r: {
        "list_type": r.choice(("red_board", "black_board", "blacklist")),
        "reason": "检查结果",
    },
}


def record_of(code: str, index: int, rng: random.Random) -> CreditRecord:
    """Return the enterprise's `index`th record, its kind drawn at the yearly rates."""
    kind = rng.choices(KINDS, WEIGHTS)[0]
    day = START + timedelta(days=rng.randrange(DAYS))
    facts = body(kind, rng, day, f"BENCH-{code}-{index}") | {"credit_code": code}
    return CreditRecord.record(RECORDED_EVENTS[kind], facts)


def records_of(code: str, count: int, rng: random.Random) -> Iterator[CreditRecord]:
    """Yield `count` records about the enterprise."""
    for index in range(count):
        yield record_of(code, index, rng)


def generate(
    services: Services,
    enterprises: int,
    per_enterprise: int,
    seed: int = 1,
    first: int = 1,
) -> Iterator[int]:
    """Append enterprises `first` .. `enterprises`, then their records in turns;
    yield how many events each transaction appended.

    In turns (every enterprise's first record, then every one's second...)
    because a bureau's log is in recorded order: consecutive records are about
    different enterprises, and each enterprise's records are spread over the
    whole log. Each record draws from its own seed, so a run is repeatable.
    """
    ACTING_KEY.set("bench")
    serials = range(first, enterprises + 1)
    yield from _saved(services, (enterprise(serial) for serial in serials))
    records = (
        record_of(code_of(serial), index, random.Random(f"{seed}:{serial}:{index}"))
        for index in range(per_enterprise)
        for serial in serials
    )
    yield from _saved(services, records)


def serials(count: int) -> list[tuple[int, str]]:
    """Return (serial, division) of the data set's enterprises, as generated."""
    return [(s, DIVISIONS[s % len(DIVISIONS)]) for s in range(1, count + 1)]


def code_of(serial: int) -> str:
    """Return the credit code of the data set's enterprise with the serial."""
    return credit_code(serial, DIVISIONS[serial % len(DIVISIONS)])


def _saved(services: Services, aggregates: Iterable[Any]) -> Iterator[int]:
    """Save the aggregates 2,000 per transaction; yield each one's event count."""
    chunk: list[Any] = []
    for aggregate in aggregates:
        chunk.append(aggregate)
        if len(chunk) == 2000:
            yield len(services.app.save(*chunk))
            chunk = []
    if chunk:
        yield len(services.app.save(*chunk))
