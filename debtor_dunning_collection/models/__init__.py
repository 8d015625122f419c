# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import statutory
from . import debtor_dunning_interest_rate
from . import debtor_dunning_communication
