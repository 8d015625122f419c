# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Debtor Dunning - Payment Arrangements",
    "summary": "Payment arrangements: instalments that pause dunning, remind, and resume it when broken",
    "version": "19.0.2.2.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/debtor-dunning/debtor-dunning",
    "author": "Debtor Dunning contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["debtor_dunning"],
    "external_dependencies": {"python": ["mollie-api-python"]},
    "data": [
        "security/ir.model.access.csv",
        "security/debtor_dunning_arrangement_security.xml",
        "data/debtor_dunning_arrangement_template_data.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "report/debtor_dunning_arrangement_report.xml",
        "views/debtor_dunning_arrangement_template_views.xml",
        "views/debtor_dunning_arrangement_views.xml",
        "views/debtor_dunning_arrangement_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/portal_templates.xml",
        "report/debtor_dunning_arrangement_report_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "debtor_dunning_arrangement/static/tests/tours/*.js",
        ],
    },
}
