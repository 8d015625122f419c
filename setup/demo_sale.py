# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo of the risk warning in sales: a quotation for a high-risk debtor, waiting to be confirmed.

Called from `demo_data.simulate_history` after the weeks of dunning, once the run has scored every
debtor. `sale` is installed in the demo database beside the add-ons, which do not depend on it.
"""


def quote_a_high_risk_debtor(env):
    """The company uses credit limits (Community builds a quotation's credit warning only then) and a
    salesman has quoted the riskiest debtor: the quotation's banner says why he is risky."""
    company = env.company
    company.account_use_credit_limit = True
    riskiest = env["debtor.dunning.risk"].search(
        [("company_id", "=", company.id), ("risk_class", "=", "high")], order="score desc, id", limit=1
    )
    product = env["product.product"].search([("sale_ok", "=", True), ("list_price", ">", 0)], order="id", limit=1)
    order = env["sale.order"].create(
        {
            "partner_id": riskiest.partner_id.id,
            "company_id": company.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})],
        }
    )
    print(f"Demo sales: quotation {order.name} for {riskiest.partner_id.name}, a high-risk debtor, to confirm.")
