# Copyright 2026 Debtor Dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run the dunning once in this process, as production does, reporting each batch on stdout.

    python dunning_job.py --config odoo.conf --database robust_x --date 2026-06-01 \
        --mode plain|cron [--batch-size 10] [--barrier FILE]

`plain`: a script calls `debtor.dunning.run.execute(date=...)` and commits at the end: the whole run
is one transaction. `cron`: the scheduled action "Dunning: decide today's letters" runs through
Odoo's cron runner (`ir.cron.method_direct_trigger`, i.e. `_process_job` with a job cursor, the
`cron_id` context and progress records), so that every batch of debtors is committed on its own.
The clock is frozen on `--date` (ticking), so that the cron decides for that day.

Lines printed: `READY` once Odoo is loaded, `BATCH n` after each batch, `DONE <run ids>` at the end.
With `--barrier FILE` the process waits, after READY, until FILE exists: two processes start together.
"""

import argparse
import os
import sys
import time

from odoo_env import odoo_env, say


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--date", required=True)
    parser.add_argument("--mode", choices=["plain", "cron"], required=True)
    parser.add_argument("--batch-size", type=int, default=0)
    parser.add_argument("--barrier")
    args = parser.parse_args()

    from freezegun import freeze_time

    with odoo_env(args.config, args.database) as (_registry, env):
        from odoo.addons.debtor_dunning.models import debtor_dunning_run as run_module
        from odoo.addons.debtor_dunning.models import debtor_dunning_run_batch as batch_module

        if args.batch_size:
            run_module.PARTNER_BATCH_SIZE = args.batch_size
        original = batch_module.DebtorDunningRun._process_batch
        batches = []

        def reporting_batch(run, *batch_args, **batch_kwargs):
            result = original(run, *batch_args, **batch_kwargs)
            batches.append(1)
            say(f"BATCH {len(batches)}")
            return result

        batch_module.DebtorDunningRun._process_batch = reporting_batch
        env.cr.rollback()  # the cursor's snapshot starts after the barrier, as a new process's would
        say("READY")
        if args.barrier:
            while not os.path.exists(args.barrier):
                time.sleep(0.002)
        with freeze_time(f"{args.date} 12:00:00", tick=True):
            if args.mode == "plain":
                runs = env["debtor.dunning.run"].execute(date=args.date)
                env.cr.commit()
                say("DONE", ",".join(str(run_id) for run_id in runs.ids))
            else:
                cron = env.ref("debtor_dunning.ir_cron_debtor_dunning_run")
                outcome = cron.method_direct_trigger()
                env.cr.commit()
                if outcome is not True:
                    say("CRON FAILED", outcome)
                    sys.exit(1)
                say("DONE cron")


if __name__ == "__main__":
    main()
