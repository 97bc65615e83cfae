"""`cocrea notify-sweep [--digest daily|weekly]`: the periodic notifications, for cron.

Without options: due (7 days) and overdue milestones, overdue agreements and new red flags
of followed suppliers and buyers, each told once per change of state, then the immediate
e-mails. `--digest daily` (every day) or
`--digest weekly` (once a week) sends the digests waiting for that mode.
"""

from django.core.management.base import BaseCommand

from cocrea.notifications import services, sweep
from cocrea.notifications.models import EmailMode


class Command(BaseCommand):
    help = (
        "Avisos periódicos: hitos por vencer y vencidos, acuerdos vencidos; resúmenes por correo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--digest", choices=["daily", "weekly"])

    def handle(self, *args, digest=None, **options):
        if digest:
            mode = EmailMode.DAILY if digest == "daily" else EmailMode.WEEKLY
            sent = services.send_emails(mode)
            self.stdout.write(f"resumen {digest}: {sent} correos")
            return
        told = sweep.run()
        sent = services.send_emails(EmailMode.IMMEDIATE)
        self.stdout.write(
            f"hitos: {told['milestones']}, acuerdos: {told['agreements']}, "
            f"banderas rojas: {told['red_flags']}, correos: {sent}"
        )
