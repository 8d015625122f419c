# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import debtor_dunning_arrangement_template
from . import debtor_dunning_arrangement
from . import debtor_dunning_arrangement_daily_step
from . import debtor_dunning_arrangement_letters
from . import debtor_dunning_arrangement_portal
from . import debtor_dunning_arrangement_instalment
from . import debtor_dunning_arrangement_direct_debit
from . import account_move
from . import res_partner
from . import res_partner_debtor_screen
from . import debtor_dunning_run
from . import debtor_dunning_overview
from . import ir_actions_report
