# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_instalment_schedule
from . import test_arrangement_template
from . import test_arrangement_rules
from . import test_arrangement
from . import test_arrangement_bad_input
from . import test_arrangement_simulation
from . import test_arrangement_security
from . import test_arrangement_portal
from . import test_arrangement_dutch
from . import test_arrangement_direct_debit
from . import test_arrangement_overview
from . import test_arrangement_debtor_screen
from . import test_arrangement_pdf
