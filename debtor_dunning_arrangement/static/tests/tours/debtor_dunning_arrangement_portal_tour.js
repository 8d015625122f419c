/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import { registry } from "@web/core/registry";

/**
 * A debtor who cannot pay his overdue invoice at once proposes to pay it in two instalments, within
 * the self-service template's limits: the arrangement applies at once and he sees its schedule.
 * Started by TestArrangementPortal at /my/arrangements.
 */
registry.category("web_tour.tours").add("debtor_dunning_arrangement_portal_propose", {
    steps: () => [
        {
            content: "He chooses to pay in instalments",
            trigger: "a[name='propose_arrangement']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "His overdue invoice is selected",
            trigger: "#debtor_dunning_arrangement_propose input[type='checkbox']:checked",
        },
        {
            content: "Two instalments",
            trigger: "input[name='instalments']",
            run: "edit 2",
        },
        {
            content: "Propose",
            trigger: ".o_arrangement_propose_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Within the limits: the arrangement is active at once",
            trigger: ".o_arrangement_state[data-state='active']",
        },
        {
            content: "Its schedule has two instalments",
            trigger: "table[name='arrangement_schedule'] tbody:has(tr:nth-child(2)):not(:has(tr:nth-child(3)))",
        },
    ],
});
