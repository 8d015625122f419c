# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import portal
from . import mollie
from . import pay_online
