/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import { registry } from "@web/core/registry";

/**
 * A debtor follows the link in his reminder to the invoice, sees where it stands and which
 * letters he received, and disputes it. Started by TestDunningPortal at the reminder's link.
 */
registry.category("web_tour.tours").add("debtor_dunning_portal_dispute", {
    steps: () => [
        {
            content: "The invoice is overdue",
            trigger: "#debtor_dunning_status .o_dunning_portal_status_overdue",
        },
        {
            content: "The reminder he received is listed with its PDF",
            trigger: ".o_dunning_letters .o_dunning_letter:has(a.o_dunning_letter_pdf)",
        },
        {
            content: "He can pay online",
            trigger: "a[data-bs-target='#pay_with']",
        },
        {
            content: "He disputes the invoice",
            trigger: "#dunning_kind_dispute",
            run: "click",
        },
        {
            content: "Choose the reason",
            trigger: "select[name='dispute_reason']",
            run: "select amount",
        },
        {
            content: "Explain",
            trigger: "textarea[name='body']",
            run: "edit We received 8 crates of bread, not 10.",
        },
        {
            content: "Send",
            trigger: ".o_dunning_message_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page confirms the dispute",
            trigger: ".o_dunning_posted:contains(Your dispute has been registered)",
        },
        {
            content: "The reminders are paused",
            trigger: "#debtor_dunning_status .o_dunning_portal_status_paused",
        },
        {
            content: "The page says the invoice is disputed",
            trigger: ".o_dunning_dispute_notice",
        },
        {
            content: "His dispute awaits an answer",
            trigger: ".o_dunning_message_dispute .o_dunning_message_state:contains(Awaiting our answer)",
        },
        {
            content: "His message is in the invoice's conversation",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains(We received 8 crates of bread, not 10.)",
        },
    ],
});

/** Back on the invoice, the debtor reads the company's answer (and nothing internal). */
registry.category("web_tour.tours").add("debtor_dunning_portal_answer", {
    steps: () => [
        {
            content: "The company's answer is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains(We checked the delivery note)",
        },
        {
            content: "Internal notes are not shown",
            trigger:
                "#chatterRoot:shadow .o-mail-Thread:not(:has(.o-mail-Message:contains(Internal: debtor is slow payer)))",
        },
        {
            content: "His dispute is marked answered",
            trigger: ".o_dunning_message_dispute .o_dunning_message_state:contains(Answered)",
        },
        {
            content: "The reminders stay paused until the dispute is resolved",
            trigger: ".o_dunning_dispute_notice",
        },
    ],
});
