# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import dunning_rules
from . import res_company
from . import debtor_dunning_policy
from . import debtor_dunning_level
from . import debtor_dunning_block_template
from . import debtor_dunning_block
from . import debtor_dunning_run
from . import debtor_dunning_payment_link
from . import debtor_dunning_communication
from . import debtor_dunning_communication_line
from . import account_move
from . import account_move_send
from . import res_partner
from . import res_company_portal
from . import res_config_settings
from . import debtor_dunning_debtor_message
from . import ir_actions_report
