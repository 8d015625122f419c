# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools.safe_eval import safe_eval


class DebtorDunningOverviewQueue(models.TransientModel):
    """One item of the overview's work queue: how many records wait, and the button to them."""

    _name = "debtor.dunning.overview.queue"
    _description = "Credit Control Work Queue Item"
    _order = "sequence, id"

    overview_id = fields.Many2one("debtor.dunning.overview", required=True, ondelete="cascade")
    sequence = fields.Integer(default=100)
    code = fields.Char(required=True)
    name = fields.Char(string="To Do", required=True)
    count = fields.Integer(string="Count")
    res_model = fields.Char(string="Model", required=True)
    # Dates in the domain are stored as their ISO strings, which the ORM reads back as dates.
    domain = fields.Json(required=True)
    action_xmlid = fields.Char(string="Window Action")

    def action_open(self):
        """The records counted, in the item's own action (its views and context) when it names one."""
        self.ensure_one()
        if self.action_xmlid:
            action = self.env["ir.actions.act_window"]._for_xml_id(self.action_xmlid)
        else:
            action = {"type": "ir.actions.act_window", "res_model": self.res_model, "view_mode": "list,form"}
        context = action.get("context") or {}
        if isinstance(context, str):
            context = safe_eval(context, {"uid": self.env.uid, "context_today": fields.Date.context_today})
        # The item's domain decides what is shown: the action's own default filters would narrow it.
        context = {key: value for key, value in context.items() if not key.startswith("search_default_")}
        action.update({"name": self.name, "domain": self.domain, "context": context})
        return action
