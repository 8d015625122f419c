# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import statutory
from . import debtor_dunning_interest_rate
from . import debtor_dunning_collection_agency
from . import debtor_dunning_collection_case
from . import debtor_dunning_collection_case_dossier
from . import debtor_dunning_communication
from . import debtor_dunning_policy
from . import debtor_dunning_run
from . import account_move
from . import res_company
from . import res_config_settings
from . import res_partner
from . import res_partner_debtor_screen
from . import debtor_dunning_kpi
from . import debtor_dunning_overview
