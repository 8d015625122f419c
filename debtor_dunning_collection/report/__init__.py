# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import debtor_dunning_write_off_report
