# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user

from .mollie_fake_server import FakeMollie

TODAY = date(2026, 6, 1)


class DunningCommon(AccountTestInvoicingCommon):
    """A company with the shipped six-level policy and debtors with and without e-mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.policy = cls.company.dunning_policy_id
        cls.levels = cls.policy.level_ids.sorted("sequence")
        cls.other_currency = cls.setup_other_currency("CHF")
        cls.env.user.group_ids |= cls.env.ref("debtor_dunning.group_debtor_dunning_manager")
        cls.debtor = cls.env["res.partner"].create(
            {"name": "Bakkerij Jansen", "is_company": True, "email": "info@jansen.example.nl", "lang": "en_US"}
        )
        cls.debtor_without_email = cls.env["res.partner"].create(
            {"name": "Piet Zonder Mail", "lang": "en_US", "street": "Kerkstraat 7", "zip": "3511 AB", "city": "Utrecht"}
        )
        cls.Run = cls.env["debtor.dunning.run"]
        cls.Communication = cls.env["debtor.dunning.communication"]

    @classmethod
    def _new_user(cls, login, group="debtor_dunning.group_debtor_dunning_controller", companies=None):
        """A user of `group` (default Credit Controller) in `companies` only (default the company)."""
        companies = companies or cls.company
        return new_test_user(
            cls.env, login=login, groups=group, company_id=companies[:1].id, company_ids=[Command.set(companies.ids)]
        )

    @classmethod
    def _invoice(cls, due, amount=100.0, partner=None, currency=None, post=True):
        return cls._create_invoice_one_line(
            price_unit=amount,
            tax_ids=[],
            partner_id=partner or cls.debtor,
            invoice_date=due - timedelta(days=30),
            invoice_date_due=due,
            invoice_payment_term_id=False,
            currency_id=currency,
            post=post,
        )

    def _invoice_in_two_instalments(self, invoice_date, amount=1000.0):
        """An invoice of `amount` due 30 % on `invoice_date` and 70 % sixty days later."""
        term = self.env["account.payment.term"].create(
            {
                "name": "30% now, 70% in 60 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 60}),
                ],
            }
        )
        return self._create_invoice_one_line(
            price_unit=amount,
            tax_ids=[],
            partner_id=self.debtor,
            invoice_date=invoice_date,
            invoice_payment_term_id=term.id,
            post=True,
        )

    @contextmanager
    def _counting_wkhtmltopdf_calls(self):
        """Yield a list that receives, per wkhtmltopdf call, the number of documents it printed."""
        Report = type(self.env["ir.actions.report"])
        original = Report._run_wkhtmltopdf
        calls = []

        def run_wkhtmltopdf(report, bodies, *args, **kwargs):
            calls.append(len(bodies))
            return original(report, bodies, *args, **kwargs)

        with patch.object(Report, "_run_wkhtmltopdf", run_wkhtmltopdf):
            yield calls

    @classmethod
    def _start_fake_mollie(cls):
        """The local Mollie-shaped server (`mollie_fake_server`) for the class, and the company's
        Mollie provider in test mode pointing at it (an administrator's setup, hence sudo)."""
        cls.mollie = FakeMollie().start()
        cls.addClassCleanup(cls.mollie.stop)
        cls.env["ir.config_parameter"].sudo().set_param("debtor_dunning.mollie_api_url", cls.mollie.url)
        cls.provider = (
            cls.env.ref("payment.payment_provider_mollie")
            .sudo()
            .copy({"company_id": cls.company.id, "state": "test", "mollie_api_key": cls.mollie.api_key})
        )
        cls.provider.journal_id = cls.company_data["default_journal_bank"]

    @classmethod
    def _enable_portal_payment(cls):
        """A published provider without any implementation (code "none", as Odoo's own payment tests
        use) and portal payment switched on: the debtor can pay on Odoo's payment page."""
        redirect_form = cls.env["ir.ui.view"].create(
            {"name": "Dummy Redirect Form", "type": "qweb", "arch": '<form action="dummy" method="post"/>'}
        )
        method = cls.env.ref("payment.payment_method_unknown")
        cls.provider = (
            cls.env["payment.provider"]
            .sudo()
            .create(
                {
                    "name": "Dummy Provider",
                    "code": "none",
                    "state": "test",
                    "is_published": True,
                    "company_id": cls.company.id,
                    "payment_method_ids": [Command.set(method.ids)],
                    "redirect_form_view_id": redirect_form.id,
                    "available_currency_ids": [Command.set(cls.company.currency_id.ids)],
                }
            )
        )
        method.active = True  # (only once a provider offers it)
        cls.method = method
        cls.env["ir.config_parameter"].sudo().set_param("account_payment.enable_portal_payment", True)

    @classmethod
    def _vendor_bill(cls):
        return cls._create_invoice_one_line(
            move_type="in_invoice",
            price_unit=100.0,
            partner_id=cls.debtor,
            invoice_date=TODAY - timedelta(days=40),
            post=True,
        )

    def _run(self, on_date, preview=False):
        runs = self.Run.execute(date=on_date, preview=preview)
        return runs.filtered(lambda run: run.company_id == self.company)

    def _levels_of(self, invoice):
        lines = self.env["debtor.dunning.communication.line"].search(
            [("move_id", "=", invoice.id), ("is_preview", "=", False)], order="id"
        )
        return [line.level_id.sequence for line in lines]

    def _approve_all(self):
        self.Communication.search([("state", "=", "to_approve")]).action_approve()
