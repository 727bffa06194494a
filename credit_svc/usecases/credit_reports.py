"""Credit reports: issue one for a firm as of a day, check it, and say what
changed since (glue of view, log, signer and the report's event)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, Protocol

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from credit_svc.adapters.receipts import (
    ALGORITHM,
    canonical,
    key_id,
    signature_valid,
)
from credit_svc.adapters.report_pdf import ReadPdf, same_text
from credit_svc.domain.assessment import Assessment
from credit_svc.domain.credit_report import (
    CreditReport,
    ReportTerms,
    report_id,
    report_number,
    terms_on,
)
from credit_svc.domain.effect import Effect
from credit_svc.domain.eligibility import Eligibility
from credit_svc.domain.errors import ReportNotFoundError, ReportTermsMissingError
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.working_days import CalendarMissingError, WorkingDays
from credit_svc.projections.cutoff import Cutoff
from credit_svc.usecases.auditing import Services, standing_statement
from credit_svc.usecases.grade_reader import GradeReader
from credit_svc.usecases.project_reader import ProjectReader

# The kinds a report lists record by record: what the public pages disclose,
# and the honours a firm shows a tender (the rest count in category totals).
LISTED_KINDS: Final = ("bad_credit", "list_entry", "good_credit")
RECORD_FIELDS: Final = (
    "document_number",
    "authority",
    "title",
    "description",
    "reason",
    "severity",
    "list_type",
    "project_code",
)


class Sources(Services, Protocol):
    """What reports are made of: what receipts are, and more."""

    @property
    def report_terms(self) -> tuple[ReportTerms, ...]:
        """Return the reports' validity terms."""

    @property
    def calendar(self) -> WorkingDays:
        """Return the official working-day calendar."""


@dataclass(frozen=True)
class Issuing:
    """Who asks for a report (the key's id is part of its number), when, and
    where the public will check it."""

    key_id: str
    name: str
    at: datetime
    on: date  # the business date it is issued on
    verify_base: str  # the service's public base URL


@dataclass(frozen=True)
class Verification:
    """What checking an issued report against the log found."""

    signature_valid: bool
    log_matches: bool
    content_matches: bool
    grade_confirmed: bool
    problems: tuple[str, ...]

    @property
    def genuine(self) -> bool:
        """Tell whether every check passed."""
        return not self.problems


@dataclass(frozen=True)
class UploadCheck:
    """What checking a PDF file against an issued report found."""

    problems: tuple[str, ...]

    @property
    def genuine(self) -> bool:
        """Tell whether the file is the report as issued."""
        return not self.problems


class CreditReports:
    """Issues reports and checks them."""

    def __init__(self, sources: Sources) -> None:
        self.app = sources.app
        self.view = sources.view
        self.ledger = sources.ledger
        self.signer = sources.signer
        self.terms = sources.report_terms
        self.grades = GradeReader(sources.view, sources.packs)
        # A project reader lives for one request, and so do these use cases.
        self.projects = ProjectReader(
            sources.app, self.grades, sources.packs, sources.calendar
        )

    def issue(self, credit_code: str, day: date, issuing: Issuing) -> CreditReport:
        """Issue the firm's report as of the day, from the log as it stands.

        Asked again on the same day by the same key, a report that would say
        the same is the report issued before.
        """
        issued_on = issuing.on
        terms = terms_on(self.terms, issued_on)
        if terms is None:
            raise ReportTermsMissingError(issued_on.isoformat())
        position = self.view.db.position(self.app.name)
        cutoff = Cutoff(position=position)
        assessment = self.grades.explain(credit_code, day, cutoff)
        eligibility = self.grades.eligibility(credit_code, day, cutoff)
        stated = self._content(credit_code, day, assessment, eligibility)
        number = report_number(issued_on, issuing.key_id, content_digest(stated))
        try:
            return self.get(number)  # the same key asked the same today
        except ReportNotFoundError:
            pass
        valid_until = terms.valid_until(issued_on)
        content = stated | {
            "report_number": number,
            "issued_on": issued_on.isoformat(),
            "valid_until": valid_until.isoformat(),
            "valid_days": terms.valid_days,
            "log_position": position,
            "verify_url": f"{issuing.verify_base.rstrip('/')}/r/{number}",
        }
        statement = {
            "report_number": number,
            "credit_code": credit_code,
            "as_of": day.isoformat(),
            "issued_at": issuing.at.isoformat(),
            "valid_until": valid_until.isoformat(),
            "log_head": {"position": position, "hash": self.ledger.link_at(position)},
            "content_sha256": content_digest(content),
        } | standing_statement(eligibility)
        signed = self.signer.sign(statement)
        report = CreditReport(
            report_number=number,
            credit_code=credit_code,
            as_of=day,
            issued_on=issued_on,
            valid_until=valid_until,
            content=content,
            statement=signed["receipt"],
            algorithm=signed["algorithm"],
            signature=signed["signature"],
            issued_by=issuing.name,
        )
        with suppress(IntegrityError):  # issued by a concurrent request just now
            self.app.save(report)
        return self.get(number)

    def get(self, number: str) -> CreditReport:
        """Return the report issued under the number."""
        try:
            report = self.app._get(report_id(number))
        except AggregateNotFoundError:
            raise ReportNotFoundError(number) from None
        if not isinstance(report, CreditReport):
            raise ReportNotFoundError(number)
        return report

    def verify(self, report: CreditReport) -> Verification:
        """Check the report's signature, its log head, its content and its
        grade against the log up to that head."""
        problems = []
        statement = report.statement
        public_key = self.signer.public_key
        signed = (
            report.algorithm == ALGORITHM
            and statement.get("key_id") == key_id(public_key)
            and signature_valid(public_key, statement, report.signature)
        )
        if not signed:
            problems.append("the signature is not this service's over the statement")
        head = statement["log_head"]
        log_matches = self.ledger.link_at(head["position"]) == head["hash"]
        if not log_matches:
            problems.append(
                f"the log at position {head['position']} is not the one the "
                "report was issued from: it was altered or cut since"
            )
        content_matches = content_digest(report.content) == statement["content_sha256"]
        if not content_matches:
            problems.append("the report's content is not what the statement hashed")
        recomputed = standing_statement(
            self.grades.eligibility(
                report.credit_code, report.as_of, Cutoff(position=head["position"])
            )
        )
        grade_confirmed = all(statement.get(k) == v for k, v in recomputed.items())
        if not grade_confirmed:
            problems.append(f"the log up to the report's head gives {recomputed}")
        return Verification(
            signed, log_matches, content_matches, grade_confirmed, tuple(problems)
        )

    def changes_since(self, report: CreditReport, day: date) -> dict[str, Any]:
        """Say what changed since the report was issued: the grade on the day,
        the grade on the report's date as the log now gives it, and the listed
        records recorded or changed after the report's log head."""
        code = report.credit_code
        now = self.grades.eligibility(code, day).standing
        then = self.grades.eligibility(code, report.as_of).standing
        head = Cutoff(position=report.statement["log_head"]["position"])
        before = {f.record_id: f for f in self.view.records.get_facts(code, head)}
        records = []
        for fact in self.view.records.get_facts(code):
            if fact.kind not in LISTED_KINDS or before.get(fact.record_id) == fact:
                continue
            change = "changed" if fact.record_id in before else "recorded"
            records.append({"change": change} | _fact_fields(fact))
        return {
            "as_of": day.isoformat(),
            "grade_now": now.grade,
            "score_now": str(now.score),
            "grade_on_report_date_now": then.grade,
            "grade_changed": now.grade != report.statement.get("grade"),
            "records": sorted(records, key=lambda r: r["business_date"]),
        }

    def _content(
        self,
        credit_code: str,
        day: date,
        assessment: Assessment,
        eligibility: Eligibility,
    ) -> dict[str, Any]:
        """Return what the report says, in JSON types."""
        enterprise = self.grades.enterprise(credit_code)
        standing = assessment.standing
        pack = self.grades.pack(standing.pack_id, standing.pack_version)
        words = {rule.reason: rule.description for rule in pack.award_exclusions}
        try:
            projects = self.projects.of_enterprise(credit_code, day)
        except CalendarMissingError:  # the report still states the firm's grade
            projects = []
        return {
            "as_of": day.isoformat(),
            "enterprise": {
                "name": enterprise["name"],
                "credit_code": credit_code,
                "jurisdiction": enterprise["jurisdiction"],
            },
            "grade": {
                "grade": standing.grade,
                "label": pack.label(standing.grade),
                "score": str(standing.score),
                "base_score": str(standing.base_score),
                "band_grade": standing.band_grade,
                "board": standing.board,
                "blacklisted": standing.blacklisted,
                "tender_points": str(standing.tender_points),
                "categories": [
                    {"name": c.name, "raw": str(c.raw), "applied": str(c.applied)}
                    for c in standing.categories
                ],
                "overrides": [o.condition for o in standing.overrides if o.applied],
                "counted_by_kind": dict(
                    Counter(e.fact.kind for e in assessment.counted)
                ),
            },
            "eligibility": {
                "eligible": eligibility.eligible,
                "bars": [words.get(b.reason) or b.detail for b in eligibility.bars],
            },
            "projects": [
                {
                    "code": p["code"],
                    "name": p["name"],
                    "board": p.get("board"),
                    "blacklisted": bool(p.get("blacklisted")),
                    "stars": p.get("stars"),
                }
                for p in projects
            ],
            "records": [
                _effect_fields(e)
                for e in assessment.counted
                if e.fact.kind in LISTED_KINDS
            ],
            "pack": {
                "id": pack.pack_id,
                "version": pack.version,
                "name": pack.name,
            },
        }


def check_upload(
    report: CreditReport,
    verification: Verification,
    uploaded: ReadPdf | None,
    issued: ReadPdf | None,
) -> UploadCheck:
    """Check a PDF someone was handed against the report issued: it must
    carry the report's signed statement and show the same text as the PDF
    the service makes of it, and the report itself must be genuine."""
    if uploaded is None:
        return UploadCheck(("该文件不是可读取的 PDF The file is not a readable PDF",))
    problems = list(verification.problems)
    attached = _json_object(uploaded.statement)
    signed = {
        "statement": report.statement,
        "algorithm": report.algorithm,
        "signature": report.signature,
    }
    if attached is None:
        problems.append(
            "文件没有附带本服务的签名声明 The file carries no signed statement"
        )
    elif attached != signed:
        problems.append(
            f"文件附带的签名声明不是报告 {report.report_number} 的 "
            "The statement attached is not this report's"
        )
    if issued is None or not same_text(uploaded.text, issued.text):
        problems.append(
            "文件的文字与出具的报告不一致 "
            "The file's text differs from the report issued"
        )
    return UploadCheck(tuple(problems))


def _json_object(data: bytes | None) -> dict[str, Any] | None:
    if data is None:
        return None
    try:
        parsed = json.loads(data)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def content_digest(content: dict[str, Any]) -> str:
    """Return the SHA-256 of the report's content in canonical JSON."""
    return hashlib.sha256(canonical(content)).hexdigest()


def _fact_fields(fact: RecordFact) -> dict[str, Any]:
    fields = {name: fact.get(name) for name in RECORD_FIELDS if fact.get(name)}
    return {
        "record_id": fact.record_id,
        "kind": fact.kind,
        "business_date": fact.business_date.isoformat(),
        "under_objection": fact.under_objection,
    } | fields


def _effect_fields(effect: Effect) -> dict[str, Any]:
    last_day = effect.expires_on - timedelta(days=1)
    return _fact_fields(effect.fact) | {
        "points": str(effect.points),
        "last_day": last_day.isoformat(),
    }
