# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import debtor_dunning_aging_report
from . import debtor_dunning_effectiveness_report
from . import debtor_dunning_trend_report
