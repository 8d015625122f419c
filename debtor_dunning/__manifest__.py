# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Debtor Dunning",
    "summary": "Chase overdue invoices automatically: six-level dunning, blocks, "
    "archived letters and a collection dossier per invoice",
    "version": "19.0.1.5.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/debtor-dunning/debtor-dunning",
    "author": "Debtor Dunning contributors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "account",
        "account_payment",
        "mail",
        "portal",
        "sms",
        "phone_validation",
        # Reuses the API key of Odoo's own Mollie provider for payment links.
        "payment_mollie",
    ],
    "external_dependencies": {"python": ["phonenumbers", "mollie-api-python"]},
    "data": [
        "security/debtor_dunning_security.xml",
        "security/ir.model.access.csv",
        "data/debtor_dunning_policy_data.xml",
        "data/debtor_dunning_block_template_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "report/debtor_dunning_letter_templates.xml",
        "report/debtor_dunning_letter_report.xml",
        "report/debtor_dunning_letter_layout.xml",
        "report/debtor_dunning_statement_report.xml",
        "data/mail_template_statement_data.xml",
        "views/debtor_dunning_menus.xml",
        "views/debtor_dunning_policy_views.xml",
        "views/debtor_dunning_run_views.xml",
        "views/debtor_dunning_communication_views.xml",
        "views/debtor_dunning_block_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "data/debtor_dunning_portal_data.xml",
        "views/debtor_dunning_debtor_message_views.xml",
        "views/portal_templates.xml",
        "views/debtor_dunning_pay_online_templates.xml",
        "views/res_config_settings_views.xml",
        "views/debtor_dunning_call_outcome_views.xml",
        "report/debtor_dunning_aging_report_views.xml",
        "report/debtor_dunning_effectiveness_report_views.xml",
        "report/debtor_dunning_trend_report_views.xml",
        "views/debtor_dunning_overview_views.xml",
        "views/debtor_dunning_call_views.xml",
        "views/res_partner_debtor_views.xml",
    ],
    "assets": {
        # The letters' PDF styles: Odoo's report styles without its web fonts (see
        # report/debtor_dunning_letter_layout.xml).
        "debtor_dunning.report_assets_letter": [
            ("include", "web.report_assets_common"),
            ("remove", "web/static/fonts/fonts.scss"),
        ],
        "web.assets_tests": [
            "debtor_dunning/static/tests/tours/*.js",
        ],
    },
}
