"""Send every newsletter mail that is due now: what a scheduler runs (every few minutes to an
hour). Safe to run while another run or the task worker is sending: no mail goes out twice."""

from django.core.management.base import BaseCommand, CommandError

from subscriptions.sending import SendFailed, send_due


class Command(BaseCommand):
    help = (
        'Mail each new post to "each new post" subscribers and the week\'s digest to weekly '
        "subscribers whose week is over; never the same post or week twice."
    )

    def handle(self, *args, **options):
        try:
            summary = send_due()
        except SendFailed as error:
            raise CommandError(
                f"Stopped after {error.summary.sent} mail(s): {error}. Run again to send the "
                "rest; nothing is sent twice."
            ) from error
        self.stdout.write(
            f"Sent {summary.posts} post mail(s) and {summary.digests} digest(s); "
            f"{summary.quiet_weeks} weekly subscriber(s) had nothing new."
        )
