# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from dataclasses import asdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from .dunning_rules import CHASED_MOVE_TYPES
from .risk import REFRESH_DAYS, RISK_CLASSES, WINDOW_DAYS, RiskFacts, risk_explanation, risk_profile

RISK_BATCH_SIZE = 1000
RISK_FIELDS_GROUPS = "debtor_dunning.group_debtor_dunning_controller,account.group_account_invoice"


class ResPartner(models.Model):
    """The debtor's risk profile in the current company (`debtor.dunning.risk`, computed by the run)."""

    _inherit = "res.partner"

    dunning_risk_score = fields.Integer(
        string="Risk Score",
        compute="_compute_dunning_risk",
        groups=RISK_FIELDS_GROUPS,
        help="0 to 100, higher is riskier: from the last 12 months of this company's ledger, "
        "computed by the daily dunning run.",
    )
    dunning_risk_class = fields.Selection(
        [(RISK_CLASSES[0], "Low"), (RISK_CLASSES[1], "Medium"), (RISK_CLASSES[2], "High")],
        string="Risk Class",
        compute="_compute_dunning_risk",
        search="_search_dunning_risk_class",
        groups=RISK_FIELDS_GROUPS,
    )
    dunning_risk_explanation = fields.Text(
        string="Why This Risk", compute="_compute_dunning_risk", groups=RISK_FIELDS_GROUPS
    )
    dunning_risk_date = fields.Date(
        string="Risk Computed For", compute="_compute_dunning_risk", groups=RISK_FIELDS_GROUPS
    )

    @api.depends_context("company")
    def _compute_dunning_risk(self):
        risks = self.env["debtor.dunning.risk"].search(
            [("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", self.env.company.id)]
        )
        risk_of = {risk.partner_id.id: risk for risk in risks}
        for partner in self:
            risk = risk_of.get(partner.commercial_partner_id.id)
            partner.dunning_risk_score = risk.score if risk else 0
            partner.dunning_risk_class = risk.risk_class if risk else False
            partner.dunning_risk_date = risk.date if risk else False
            partner.dunning_risk_explanation = (
                self._dunning_risk_sentences(RiskFacts.from_dict(risk.facts)) if risk else False
            )

    def _search_dunning_risk_class(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        risks = self.env["debtor.dunning.risk"].search(
            [("company_id", "=", self.env.company.id), ("risk_class", "in", list(value))]
        )
        return [("commercial_partner_id", operator, risks.partner_id.ids)]

    @api.model
    def _dunning_risk_labels(self):
        """{code of `risk.risk_explanation`: words}; the one place the explanation is translated."""
        return {
            "no_invoices": self.env._("No invoices due in the last 12 months."),
            "all_on_time": self.env._("Paid all %(count)s invoices on time."),
            "paid_late": self.env._("Paid %(late)s of %(count)s invoices late, on average %(days)s days."),
            "highest_level": self.env._("Reached reminder level %(level)s of %(levels)s."),
            "promises_broken": self.env._("Promises to pay broken: %(count)s."),
            "promises_kept": self.env._("Promises to pay kept: %(count)s."),
            "arrangements_broken": self.env._("Payment arrangements broken: %(count)s."),
            "claims_handed_over": self.env._("Claims handed to a collection agency: %(count)s."),
            "over_credit_limit": self.env._("Overdue %(overdue)s, over his credit limit of %(limit)s."),
            "credit_limit_used": self.env._("Overdue %(overdue)s against a credit limit of %(limit)s."),
            "external": self.env._("Credit bureau score: %(score)s."),
        }

    @api.model
    def _dunning_risk_sentences(self, facts, company=None):
        """The explanation of `facts` in the user's language, one sentence a reason."""
        currency = (company or self.env.company).currency_id
        labels = self._dunning_risk_labels()
        sentences = []
        for code, figures in risk_explanation(facts):
            shown = {
                name: currency.format(value) if name in ("overdue", "limit") else value
                for name, value in figures.items()
            }
            sentences.append(labels[code] % shown if code in labels else code)
        return " ".join(sentences)

    # ------------------------------------------------------------------ the run's step
    @api.model
    def _dunning_recompute_risk(self, company, on_date):
        """Recompute the profiles of `company`'s debtors whose ledger changed since their last one
        (or that have none, or one older than `risk.REFRESH_DAYS`); return how many.

        Set-based: the debtors to do in one query, then per batch of a thousand a few aggregates, the
        add-ons' inputs (one call), the pure `risk.risk_profile` and one upsert.
        """
        self.env.flush_all()
        ledger_keys = self._dunning_risk_changed(company, on_date)
        for batch in split_every(RISK_BATCH_SIZE, ledger_keys, list):
            facts = self._dunning_risk_facts(batch, company, on_date)
            rows = []
            for partner_id in batch:
                partner_facts = RiskFacts.from_dict(facts.get(partner_id))
                profile = risk_profile(partner_facts)
                rows.append(
                    (partner_id, profile.score, profile.risk_class, asdict(partner_facts), ledger_keys[partner_id])
                )
            self._dunning_store_risk(rows, company, on_date)
        self.env["debtor.dunning.risk"].invalidate_model()
        return len(ledger_keys)

    @api.model
    def _dunning_risk_changed(self, company, on_date):
        """{debtor id: ledger key} for the debtors with receivable journal items in `company` whose
        profile is due: none yet, the ledger changed (`debtor.dunning.risk.ledger_key`), older than
        `risk.REFRESH_DAYS`, or computed for a later date (a run simulating an earlier day)."""
        rows = self.env.execute_query(
            SQL(
                """
                WITH ledger AS (
                    SELECT p.commercial_partner_id AS partner_id,
                           md5(COUNT(*)::text || '/' || SUM(l.amount_residual)::text || '/' || MAX(l.write_date)::text)
                               AS ledger_key
                      FROM account_move_line l
                      JOIN res_partner p ON p.id = l.partner_id
                     WHERE l.company_id = %(company)s
                       AND l.display_type = 'payment_term'
                       AND l.parent_state = 'posted'
                     GROUP BY 1
                )
                SELECT ledger.partner_id, ledger.ledger_key
                  FROM ledger
                  LEFT JOIN debtor_dunning_risk r ON r.partner_id = ledger.partner_id AND r.company_id = %(company)s
                 WHERE ledger.partner_id IS NOT NULL
                   AND (r.id IS NULL OR r.ledger_key IS DISTINCT FROM ledger.ledger_key
                        OR r.date <= %(stale)s OR r.date > %(date)s)
                 ORDER BY 1
                """,
                company=company.id,
                date=on_date,
                stale=on_date - timedelta(days=REFRESH_DAYS),
            )
        )
        return dict(rows)

    @api.model
    def _dunning_risk_facts(self, partner_ids, company, on_date):
        """{partner_id: {fact: value}} (`risk.RiskFacts`'s names) for these debtors in `company` on `on_date`."""
        start = on_date - timedelta(days=WINDOW_DAYS)
        facts = {partner_id: {} for partner_id in partner_ids}
        # Invoices due in the window, weighted by amount: one still open (or paid after `on_date`)
        # is late up to `on_date`; one paid is late by the days from its due date to its last payment.
        for partner_id, count, amount, late_count, late_amount, days_late_amount in self.env.execute_query(
            SQL(
                """
                WITH invoices AS (
                    SELECT m.commercial_partner_id AS partner_id, m.amount_total_signed AS amount,
                           GREATEST(COALESCE(settled.last_date, %(date)s) - m.invoice_date_due, 0) AS days_late
                      FROM account_move m
                      LEFT JOIN LATERAL (
                            SELECT MAX(apr.max_date) AS last_date
                              FROM account_move_line l
                              JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
                             WHERE l.move_id = m.id AND l.display_type = 'payment_term'
                      ) settled ON m.payment_state IN ('paid', 'in_payment') AND settled.last_date <= %(date)s
                     WHERE m.company_id = %(company)s
                       AND m.state = 'posted'
                       AND m.move_type IN %(types)s
                       AND m.payment_state != 'reversed'
                       AND m.commercial_partner_id IN %(partners)s
                       AND m.invoice_date_due > %(start)s
                       AND m.invoice_date_due <= %(date)s
                )
                SELECT partner_id, COUNT(*), SUM(amount),
                       COUNT(*) FILTER (WHERE days_late > 0),
                       COALESCE(SUM(amount) FILTER (WHERE days_late > 0), 0),
                       SUM(amount * days_late)
                  FROM invoices
                 GROUP BY 1
                """,
                company=company.id,
                types=CHASED_MOVE_TYPES,
                partners=tuple(partner_ids),
                start=start,
                date=on_date,
            )
        ):
            facts[partner_id].update(
                invoice_count=count,
                invoiced_amount=float(amount),
                late_count=late_count,
                late_amount=float(late_amount),
                days_late_amount=float(days_late_amount),
            )
        # The highest rung a letter reached, as its position in its own ladder.
        for partner_id, position, total in self.env.execute_query(
            SQL(
                """
                WITH ranked AS (
                    SELECT id, ROW_NUMBER() OVER (PARTITION BY policy_id ORDER BY sequence, id) AS position,
                           COUNT(*) OVER (PARTITION BY policy_id) AS total
                      FROM debtor_dunning_level
                )
                SELECT DISTINCT ON (c.partner_id) c.partner_id, r.position, r.total
                  FROM debtor_dunning_communication c
                  JOIN ranked r ON r.id = c.level_id
                 WHERE c.company_id = %(company)s
                   AND c.partner_id IN %(partners)s
                   AND c.state IN ('queued', 'sent')
                   AND c.date > %(start)s
                   AND c.date <= %(date)s
                 ORDER BY c.partner_id, r.position::float / r.total DESC
                """,
                company=company.id,
                partners=tuple(partner_ids),
                start=start,
                date=on_date,
            )
        ):
            facts[partner_id].update(highest_level=position, level_count=total)
        partners = self.browse(partner_ids).with_company(company)
        overdue = partners._dunning_overdue_amounts(company, on_date)
        limits = partners._dunning_credit_limits(company)
        for partner_id in partner_ids:
            facts[partner_id].update(
                overdue_amount=float(overdue.get(partner_id, 0.0)), credit_limit=float(limits.get(partner_id, 0.0))
            )
        for partner_id, values in self._dunning_risk_inputs(partner_ids, company, on_date).items():
            facts.setdefault(partner_id, {}).update(values)
        for partner_id, score in self._dunning_external_risk(partner_ids, company, on_date).items():
            facts.setdefault(partner_id, {})["external_score"] = score
        return facts

    def _dunning_credit_limits(self, company):
        """{partner_id: credit limit} in `company`: Community's own (`credit_limit`), when the company
        uses credit limits; the company's default limit for a debtor without his own."""
        if not company.account_use_credit_limit:
            return {}
        fallback = (
            self.env["res.partner"]._fields["credit_limit"].get_company_dependent_fallback(self.with_company(company))
        )
        self.flush_model(["credit_limit"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id, COALESCE((credit_limit->>%s)::float, %s) FROM res_partner WHERE id IN %s",
                str(company.id),
                float(fallback or 0.0),
                tuple(self.ids),
            )
        )
        return {partner_id: limit for partner_id, limit in rows if limit}

    @api.model
    def _dunning_risk_inputs(self, partner_ids, company, on_date):
        """Hook: {partner_id: {fact: value}} for the facts the ledger does not hold.

        Called once per batch of a thousand debtors; answer in one query. The names are those of
        `risk.RiskFacts`. The core answers the promises to pay kept and broken; the arrangement
        add-on `arrangements_broken`, the collection add-on `claims_handed_over`, each counted over
        the last 12 months (`risk.WINDOW_DAYS`)::

            def _dunning_risk_inputs(self, partner_ids, company, on_date):
                inputs = super()._dunning_risk_inputs(partner_ids, company, on_date)
                for partner_id, count in self._my_counts(partner_ids, company, on_date):  # one query
                    inputs.setdefault(partner_id, {})["arrangements_broken"] = count
                return inputs
        """
        inputs = {}
        promises = self.env["debtor.dunning.block"]._read_group(
            [
                ("partner_id", "in", partner_ids),
                ("company_id", "=", company.id),
                ("promise_state", "in", ("kept", "broken")),
                # (By the day promised: one may be kept before its last day.)
                ("date_start", ">", on_date - timedelta(days=WINDOW_DAYS)),
                ("date_start", "<=", on_date),
            ],
            ["partner_id", "promise_state"],
            ["__count"],
        )
        for partner, promise_state, count in promises:
            inputs.setdefault(partner.id, {})[f"promises_{promise_state}"] = count
        return inputs

    @api.model
    def _dunning_risk_outdated(self, partners, company):
        """Have the next risk step recompute these debtors' profiles in `company`, though their
        ledger did not change (a promise judged)."""
        if not partners:
            return
        self.env["debtor.dunning.risk"].flush_model()
        self.env.cr.execute(
            SQL(
                "UPDATE debtor_dunning_risk SET ledger_key = NULL WHERE company_id = %s AND partner_id IN %s",
                company.id,
                tuple(partners.ids),
            )
        )
        self.env["debtor.dunning.risk"].invalidate_model(["ledger_key"])

    @api.model
    def _dunning_external_risk(self, partner_ids, company, on_date):
        """Hook for a credit bureau: {partner_id: score from 0 to 100, higher is riskier}.

        None here: an add-on that asks a bureau (Graydon, Creditsafe…) answers for the batch, from a
        cache of its own rather than one call per debtor per day. A bureau's score can only raise the
        debtor's (`risk.risk_profile`), and the explanation names it.
        """
        return {}

    @api.model
    def _dunning_store_risk(self, rows, company, on_date):
        """Upsert [(partner_id, score, class, facts, ledger key)] of `company` in one statement."""
        if not rows:
            return
        values = SQL(", ").join(
            SQL("(%s, %s, %s, %s::jsonb, %s)", partner_id, score, risk_class, json.dumps(facts), key)
            for partner_id, score, risk_class, facts, key in rows
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO debtor_dunning_risk
                       (partner_id, score, risk_class, facts, ledger_key, company_id, date,
                        create_uid, create_date, write_uid, write_date)
                SELECT v.partner_id, v.score, v.risk_class, v.facts, v.ledger_key, %(company)s, %(date)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (VALUES %(values)s) AS v(partner_id, score, risk_class, facts, ledger_key)
                ON CONFLICT (partner_id, company_id) DO UPDATE
                   SET score = EXCLUDED.score, risk_class = EXCLUDED.risk_class, facts = EXCLUDED.facts,
                       ledger_key = EXCLUDED.ledger_key, date = EXCLUDED.date,
                       write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                """,
                company=company.id,
                date=on_date,
                uid=self.env.uid,
                now=self.env.cr.now(),
                values=values,
            )
        )

    # ------------------------------------------------------------------ the policy
    def _dunning_policies(self, company):
        """{partner_id: policy} in `company`: the debtor's own policy, else the one the company set for
        his risk class, else the company's default. The one place the rule is written.

        Narrow reads of the company-dependent column and the risk profiles: the ORM would fetch whole
        partners, and the run asks for a thousand at a time.
        """
        if not self:
            return {}
        self.flush_model(["dunning_policy_id"])
        self.env["debtor.dunning.risk"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id, (p.dunning_policy_id->>%(company_key)s)::int, r.risk_class
                  FROM res_partner p
                  LEFT JOIN debtor_dunning_risk r ON r.partner_id = p.id AND r.company_id = %(company)s
                 WHERE p.id IN %(partners)s
                """,
                company_key=str(company.id),
                company=company.id,
                partners=tuple(self.ids),
            )
        )
        Policy = self.env["debtor.dunning.policy"]
        by_class = company._dunning_policies_by_risk_class()
        default = company.dunning_policy_id
        return {
            partner_id: (Policy.browse(own) if own else by_class.get(risk_class) or default)
            for partner_id, own, risk_class in rows
        }

    def _dunning_policy(self, company):
        """The policy of this debtor (his commercial partner) in `company`: see `_dunning_policies`."""
        self.ensure_one()
        debtor = self.commercial_partner_id
        return debtor._dunning_policies(company).get(debtor.id) or company.dunning_policy_id
