# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_dunning_rules
from . import test_dunning_run
from . import test_dunning_block
from . import test_dunning_send
from . import test_dunning_security
from . import test_dunning_channels
from . import test_dunning_bad_input
from . import test_portal
from . import test_dunning_hooks
from . import test_dunning_letter_pdf
from . import test_odoo_report_adapter
from . import test_dunning_extending
from . import test_dunning_pay_online
from . import test_dunning_one_message_a_day
from . import test_dunning_upgrade
from . import test_risk_rules
from . import test_dunning_risk
