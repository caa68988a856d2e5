"""What happened to registrations and events, announced for the apps above (webhooks).

The services send these inside their transaction, after the audit entry, with the row as it
now is (``registration=`` or ``event=``). A receiver must not write outside a savepoint of its
own nor send anything before the commit (``transaction.on_commit``): the domain does not know
who listens, and a listener's failure must never cost a registration (vocations/webhooks).
"""

from django.dispatch import Signal

registration_created = Signal()  # registration=
registration_changed = Signal()  # registration=, change= ("group_size", "promoted", …)
registration_cancelled = Signal()  # registration=
registration_checked_in = Signal()  # registration=
event_published = Signal()  # event=
event_changed = Signal()  # event=, change= ("updated", "unpublished")
