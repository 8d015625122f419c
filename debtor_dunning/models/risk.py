# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtor's risk profile as plain functions: no ORM, so tests and other add-ons call them directly.

The run gathers `RiskFacts` per debtor and company from the last `WINDOW_DAYS` of the company's
ledger (set-based SQL, `res.partner._dunning_risk_facts`); `risk_profile` turns them into a score
from 0 to 100 (higher is riskier) and a class; `risk_explanation` into codes with figures that the
ORM layer puts into (translated) words (`res.partner._dunning_risk_sentences`).
"""

from dataclasses import dataclass, field

WINDOW_DAYS = 365  # "the last 12 months"
# A risk profile older than this is recomputed even when the ledger did not change: days pass
# (an open invoice gets later), and promises, arrangements and hand-overs are not ledger entries.
REFRESH_DAYS = 7

RISK_LOW = "low"
RISK_MEDIUM = "medium"
RISK_HIGH = "high"
RISK_CLASSES = (RISK_LOW, RISK_MEDIUM, RISK_HIGH)

# The weights, in one place: the most points each part of the score can give. They add up to 100.
WEIGHTS = {
    "days_late": 25,  # average days paid late, weighted by amount, on all invoices due in the window
    "share_late": 20,  # the share of the invoiced amount paid late
    "highest_level": 15,  # the highest rung of his ladder a letter reached
    "promises": 10,  # promises to pay broken (kept ones offset them)
    "arrangements": 10,  # payment arrangements broken
    "handed_over": 10,  # claims handed to a collection agency
    "credit_limit": 10,  # what is overdue now against his credit limit
}
# When a part gives its full weight.
DAYS_LATE_FULL = 60  # paid on average two months late
PROMISES_BROKEN_FULL = 2
PROMISE_KEPT_OFFSET = 0.5  # a kept promise makes up for half a broken one
ARRANGEMENTS_BROKEN_FULL = 1
CLAIMS_HANDED_OVER_FULL = 1
# The classes: from this score on.
MEDIUM_FROM = 30
HIGH_FROM = 60


@dataclass(frozen=True)
class RiskFacts:
    """What the score is computed from, for one debtor in one company (amounts in company currency).

    Invoices are those due in the window; one still open counts as late up to the day computed.
    """

    invoice_count: int = 0
    invoiced_amount: float = 0.0
    late_count: int = 0
    late_amount: float = 0.0
    days_late_amount: float = 0.0  # the sum of amount times days late
    highest_level: int = 0  # its position in its ladder (1 is the first rung), 0 for no letter
    level_count: int = 0  # the rungs of that ladder
    promises_kept: int = 0
    promises_broken: int = 0
    arrangements_broken: int = 0
    claims_handed_over: int = 0
    overdue_amount: float = 0.0
    credit_limit: float = 0.0  # 0: none
    external_score: int | None = None  # a credit bureau's, 0-100 (`_dunning_external_risk`)

    @classmethod
    def from_dict(cls, values):
        """The facts from stored or hooked values; names that are not facts are ignored."""
        known = cls.__dataclass_fields__
        return cls(**{name: value for name, value in (values or {}).items() if name in known})

    @property
    def average_days_late(self):
        """Amount-weighted average days late over all invoices (on time counts as 0)."""
        return self.days_late_amount / self.invoiced_amount if self.invoiced_amount > 0 else 0.0

    @property
    def average_days_late_of_late(self):
        """Amount-weighted average days late over the invoices paid late: what the debtor reads."""
        return self.days_late_amount / self.late_amount if self.late_amount > 0 else 0.0


@dataclass(frozen=True)
class RiskProfile:
    score: int
    risk_class: str
    points: dict = field(default_factory=dict)  # part of WEIGHTS -> points given


def _share(value, full):
    return max(0.0, min(1.0, value / full)) if full > 0 else 0.0


def risk_points(facts):
    """{part: points} for each part of `WEIGHTS`."""
    promises = facts.promises_broken - PROMISE_KEPT_OFFSET * facts.promises_kept
    shares = {
        "days_late": _share(facts.average_days_late, DAYS_LATE_FULL),
        "share_late": _share(facts.late_amount, facts.invoiced_amount),
        "highest_level": _share(facts.highest_level, facts.level_count),
        "promises": _share(promises, PROMISES_BROKEN_FULL),
        "arrangements": _share(facts.arrangements_broken, ARRANGEMENTS_BROKEN_FULL),
        "handed_over": _share(facts.claims_handed_over, CLAIMS_HANDED_OVER_FULL),
        "credit_limit": _share(facts.overdue_amount, facts.credit_limit),
    }
    return {part: WEIGHTS[part] * share for part, share in shares.items()}


def risk_class(score):
    if score >= HIGH_FROM:
        return RISK_HIGH
    if score >= MEDIUM_FROM:
        return RISK_MEDIUM
    return RISK_LOW


def risk_profile(facts):
    """The score (0-100, higher is riskier), its class and the points of each part.

    A credit bureau's score, when there is one, can only raise ours: it knows what our ledger cannot.
    """
    points = risk_points(facts)
    score = round(sum(points.values()))
    if facts.external_score is not None:
        score = max(score, int(facts.external_score))
    score = max(0, min(100, score))
    return RiskProfile(score=score, risk_class=risk_class(score), points=points)


def risk_explanation(facts):
    """[(code, {name: figure})]: the facts behind the score, most telling first, for words.

    Codes: `no_invoices`, `all_on_time`, `paid_late`, `highest_level`, `promises_broken`,
    `promises_kept`, `arrangements_broken`, `claims_handed_over`, `over_credit_limit`,
    `credit_limit_used`, `external`.
    """
    reasons = []
    if not facts.invoice_count:
        reasons.append(("no_invoices", {}))
    elif not facts.late_count:
        reasons.append(("all_on_time", {"count": facts.invoice_count}))
    else:
        reasons.append(
            (
                "paid_late",
                {
                    "late": facts.late_count,
                    "count": facts.invoice_count,
                    "days": round(facts.average_days_late_of_late),
                },
            )
        )
    if facts.highest_level:
        reasons.append(("highest_level", {"level": facts.highest_level, "levels": facts.level_count}))
    for code in ("promises_broken", "promises_kept", "arrangements_broken", "claims_handed_over"):
        if getattr(facts, code):
            reasons.append((code, {"count": getattr(facts, code)}))
    if facts.credit_limit > 0 and facts.overdue_amount > 0:
        code = "over_credit_limit" if facts.overdue_amount > facts.credit_limit else "credit_limit_used"
        reasons.append((code, {"overdue": facts.overdue_amount, "limit": facts.credit_limit}))
    if facts.external_score is not None:
        reasons.append(("external", {"score": int(facts.external_score)}))
    return reasons
