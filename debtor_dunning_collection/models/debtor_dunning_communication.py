# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.debtor_dunning.models.dunning_rules import term_end

from .statutory import business_collection_costs, statutory_collection_costs


class DebtorDunningCommunication(models.Model):
    _inherit = "debtor.dunning.communication"

    statutory_costs_amount = fields.Monetary(
        string="Collection Costs Stated",
        currency_field="currency_id",
        compute="_compute_statutory_costs_amount",
        help="The statutory extrajudicial collection costs (WIK staffel on the open amount) that the notice "
        "of default announces to a consumer: he owes them only if this letter states their amount "
        "and gives him 14 days after receipt to pay (art. 6:96 lid 6 BW).",
    )
    collection_case_id = fields.Many2one(
        "debtor.dunning.collection.case",
        compute="_compute_collection_case_id",
        string="Collection Case",
        help="The case of the letter's invoices handed to an agency (the hand-over letter names its agency).",
    )
    collection_agency_id = fields.Many2one(
        "debtor.dunning.collection.agency", compute="_compute_collection_case_id", string="Collection Agency"
    )

    @api.depends(
        "letter_layout",
        "partner_id.is_company",
        "currency_id",
        "amount_residual",
        "line_ids.amount_residual",
        "policy_id.collection_staffel_agreed",
    )
    def _compute_statutory_costs_amount(self):
        euro = self.env.ref("base.EUR", raise_if_not_found=False)
        for communication in self:
            # The staffel and the EUR 40 are in euros: a letter in another currency announces no amount.
            if communication.letter_layout != "default_notice" or communication.currency_id != euro:
                communication.statutory_costs_amount = 0.0
            elif communication.partner_id.commercial_partner_id.is_company:
                communication.statutory_costs_amount = float(
                    business_collection_costs(
                        communication.line_ids.mapped("amount_residual"),
                        staffel_agreed=communication.policy_id.collection_staffel_agreed,
                    )
                )
            else:
                communication.statutory_costs_amount = float(statutory_collection_costs(communication.amount_residual))

    @api.depends("line_ids.move_id.dunning_case_id.agency_id")
    def _compute_collection_case_id(self):
        for communication in self:
            case = communication.line_ids.move_id.dunning_case_id[:1]
            communication.collection_case_id = case
            communication.collection_agency_id = case.agency_id

    def _term_surely_ended(self, on_date):
        """True when the term this letter gave has surely run on ``on_date`` (delivery allowed for)."""
        self.ensure_one()
        return bool(self.pay_by_date) and self._dunning_term_end() < on_date

    def _dunning_term_end(self):
        """The last day of this letter's term, by the core's one rule (`dunning_rules.term_end`)."""
        self.ensure_one()
        rule = next(rule for rule in self.level_id.policy_id._level_rules() if rule.level_id == self.level_id.id)
        return term_end(rule, self.date)

    # ------------------------------------------------------------------ the hand-off
    def action_approve(self):
        """Approving a hand-over letter is the hand-off decision: its invoices join (or open) the
        debtor's case, which is handed over; the letter, naming the agency, goes out at once and
        is part of the dossier sent to the agency. Any refusal (no agency, a consumer claim to an
        agency without Justis registration) stops the whole approval, so nothing is half done.

        A company that has not named any agency (neither on the policy nor as its default) keeps the
        core's behaviour: the letter goes out and no case is opened."""
        Case = self.env["debtor.dunning.collection.case"]
        handovers = self.filtered(
            lambda letter: (
                letter.state == "to_approve"
                and letter.letter_layout == "handover"
                and Case._collection_agency_for(letter.partner_id, letter.company_id)
            )
        )
        cases = Case.browse()
        if handovers:
            cases = Case._open_for(handovers.move_ids.filtered(lambda move: move.amount_residual))
            cases._check_manager()
            cases._check_can_hand_over()
            cases._update_claim()
        result = super().action_approve()
        if handovers:
            handovers.action_send_now()
            cases.action_approve()
        return result

    def _ensure_payment_link(self):
        # The debtor pays the agency: no payment link of ours on the hand-over letter.
        if self.letter_layout == "handover":
            return []
        return super()._ensure_payment_link()

    def _dunning_pay_online_url(self):
        if self.letter_layout == "handover":
            return False
        return super()._dunning_pay_online_url()
