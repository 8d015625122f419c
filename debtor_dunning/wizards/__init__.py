# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import debtor_dunning_call_outcome
from . import debtor_dunning_aging_wizard
from . import debtor_dunning_match_wizard
from . import debtor_dunning_match_wizard_line
