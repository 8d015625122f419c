# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_statutory
from . import test_statutory_claim
from . import test_interest_rate
from . import test_notice_of_default
from . import test_collection_handoff
from . import test_collection_payment
from . import test_collection_write_off
from . import test_collection_security
from . import test_collection_overview
from . import test_collection_debtor_screen
