"""Exam logistics read from pack blueprints: fee, voucher, retake wait, validity, delivery, and the certification path.

Nothing here is hard-coded for DOP-C02. A pack's ``blueprint.yaml`` carries a ``logistics`` block and a ``path``; a pack
for another exam, with another fee or wait, works the same way. Money is kept in whole cents so that a 50% voucher on
an odd fee never picks up floating-point crumbs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from certprep.certs.records import CertError
from certprep.content.models import Blueprint

# The blueprint's field is ``fee_usd``, so the currency is part of the format, not a guess.
CURRENCY = "USD"


@dataclass(frozen=True)
class ExamFacts:
    """What a learner needs to know to book one exam, taken from its pack's blueprint."""

    pack_id: str
    exam_code: str
    name: str
    provider: str
    level: str
    fee_cents: int
    voucher_discount_percent: Decimal
    voucher_rule: str
    retake_wait_days: int
    validity_years: int
    delivery: tuple[str, ...]
    scale_min: int
    scale_max: int
    passing_score: int
    domains: tuple[tuple[int, str], ...]
    path_codes: tuple[str, ...]
    currency: str = CURRENCY

    @property
    def voucher_available(self) -> bool:
        return self.voucher_discount_percent > 0

    def fee(self, voucher: bool) -> int:
        """The fee in cents, with the voucher discount when ``voucher`` is true (rounded half up to a cent)."""
        if not voucher:
            return self.fee_cents
        kept = Decimal(self.fee_cents) * (Decimal(100) - self.voucher_discount_percent) / Decimal(100)
        return int(kept.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def domain_name(self, domain_id: int) -> str | None:
        return next((name for number, name in self.domains if number == domain_id), None)


def _cents(amount: float) -> int:
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def exam_facts(pack_id: str, blueprint: Blueprint) -> ExamFacts:
    """The booking facts of ``blueprint``; CertError if the pack has no ``logistics`` block."""
    logistics = blueprint.logistics
    if logistics is None:
        raise CertError(
            f"The {blueprint.exam_code} pack has no logistics (fee, retake wait, validity) in its blueprint, "
            "so certprep cannot track bookings for it."
        )
    return ExamFacts(
        pack_id=pack_id,
        exam_code=blueprint.exam_code.upper(),
        name=blueprint.name,
        provider=blueprint.provider,
        level=blueprint.level,
        fee_cents=_cents(logistics.fee_usd),
        voucher_discount_percent=Decimal(str(logistics.voucher_discount_percent)),
        voucher_rule=logistics.voucher_rule,
        retake_wait_days=logistics.retake_wait_days,
        validity_years=logistics.validity_years,
        delivery=tuple(logistics.delivery),
        scale_min=blueprint.scale.min,
        scale_max=blueprint.scale.max,
        passing_score=blueprint.scale.passing,
        domains=tuple((domain.id, domain.name) for domain in blueprint.domains),
        path_codes=tuple(step.code.upper() for step in blueprint.path),
    )


def format_money(cents: int, currency: str = CURRENCY) -> str:
    """``30000`` -> ``"300 USD"``; ``14950`` -> ``"149.50 USD"``."""
    whole, rest = divmod(cents, 100)
    return f"{whole} {currency}" if rest == 0 else f"{whole}.{rest:02d} {currency}"


@dataclass(frozen=True)
class KnownExam:
    """An exam certprep can describe: a pack's own exam, or one named on a pack's certification path.

    ``domains`` (name and weight) and ``validity_years`` come from the pack; for an exam that appears only on
    another pack's path, the validity is that pack's (one provider, one renewal rule) and there are no domains.
    """

    code: str
    name: str
    level: str
    provider: str
    validity_years: int | None
    domains: tuple[tuple[str, float], ...] = ()
    pack_id: str | None = None


def known_exams(blueprints: Iterable[tuple[str, Blueprint]]) -> dict[str, KnownExam]:
    """Every exam the installed packs describe, by upper-case exam code. A pack's own exam beats a path mention."""
    own: dict[str, KnownExam] = {}
    mentioned: dict[str, KnownExam] = {}
    for pack_id, blueprint in blueprints:
        validity = blueprint.logistics.validity_years if blueprint.logistics else None
        code = blueprint.exam_code.upper()
        own[code] = KnownExam(
            code=code,
            name=blueprint.name,
            level=blueprint.level,
            provider=blueprint.provider,
            validity_years=validity,
            domains=tuple((domain.name, domain.weight) for domain in blueprint.domains),
            pack_id=pack_id,
        )
        for step in blueprint.path:
            mentioned.setdefault(
                step.code.upper(),
                KnownExam(
                    code=step.code.upper(),
                    name=step.name,
                    level=step.level,
                    provider=blueprint.provider,
                    validity_years=validity,
                ),
            )
    return {**mentioned, **own}


def default_expiry(earned_on: dt.date, validity_years: int) -> dt.date:
    """The expiry date ``validity_years`` after ``earned_on``; 29 February falls back to 28 February."""
    result: dt.date = earned_on + relativedelta(years=validity_years)
    return result
