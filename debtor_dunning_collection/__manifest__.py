# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Debtor Dunning - Collection",
    "summary": "Hand-off to collection agencies with a dossier, the claim under Dutch law (WIK costs, statutory "
    "interest, limitation), agency remittances and write-off with VAT relief",
    "version": "19.0.1.4.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/debtor-dunning/debtor-dunning",
    "author": "Debtor Dunning contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["debtor_dunning"],
    "data": [
        "security/ir.model.access.csv",
        "security/debtor_dunning_collection_security.xml",
        "data/debtor_dunning_interest_rate_data.xml",
        "data/debtor_dunning_collection_case_data.xml",
        "views/debtor_dunning_interest_rate_views.xml",
        "views/debtor_dunning_communication_views.xml",
        "views/debtor_dunning_collection_agency_views.xml",
        "views/debtor_dunning_collection_case_views.xml",
        "views/debtor_dunning_collection_handover_views.xml",
        "views/debtor_dunning_collection_payment_views.xml",
        "views/debtor_dunning_write_off_views.xml",
        "views/debtor_dunning_policy_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "report/debtor_dunning_letter_templates.xml",
        "report/debtor_dunning_collection_report_views.xml",
    ],
}
