# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Debtor Dunning - Payment Arrangements",
    "summary": "Payment arrangements for overdue debtors: reusable instalment templates and schedules",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/debtor-dunning/debtor-dunning",
    "author": "Debtor Dunning contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["debtor_dunning"],
    "data": [
        "security/ir.model.access.csv",
        "security/debtor_dunning_arrangement_security.xml",
        "data/debtor_dunning_arrangement_template_data.xml",
        "views/debtor_dunning_arrangement_template_views.xml",
    ],
}
