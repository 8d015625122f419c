# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Debtor Dunning - Collection",
    "summary": "Dutch statutory collection costs (WIK staffel) stated in the notice of default to consumers, "
    "and statutory interest (art. 6:119 / 6:119a BW) with an editable table of interest rates",
    "version": "19.0.1.1.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/debtor-dunning/debtor-dunning",
    "author": "Debtor Dunning contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["debtor_dunning"],
    "data": [
        "security/ir.model.access.csv",
        "data/debtor_dunning_interest_rate_data.xml",
        "views/debtor_dunning_interest_rate_views.xml",
        "views/debtor_dunning_communication_views.xml",
        "report/debtor_dunning_letter_templates.xml",
    ],
}
