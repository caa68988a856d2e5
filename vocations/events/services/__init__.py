"""Every write on events goes through these services."""

from .accreditations import accreditation_accept, accreditation_refuse, accreditation_request
from .erasure import is_erased, registration_erase, registration_personal_data
from .events import (
    EventData,
    event_create,
    event_duplicate,
    event_publish,
    event_unpublish,
    event_update,
)
from .labels import (
    label_accept,
    label_conditions,
    label_refuse,
    label_request_changes,
    label_submit,
    label_withdraw,
)
from .registrations import (
    DuplicateRegistrationError,
    NotEnoughSeatsError,
    RegistrationData,
    registration_cancel,
    registration_change_group,
    registration_create,
)

__all__ = [
    "accreditation_accept",
    "accreditation_refuse",
    "accreditation_request",
    "DuplicateRegistrationError",
    "NotEnoughSeatsError",
    "EventData",
    "RegistrationData",
    "event_create",
    "event_duplicate",
    "event_publish",
    "event_unpublish",
    "event_update",
    "label_accept",
    "label_conditions",
    "label_refuse",
    "label_request_changes",
    "label_submit",
    "label_withdraw",
    "promote_waitlist",
    "is_erased",
    "registration_erase",
    "registration_personal_data",
    "registration_cancel",
    "registration_change_group",
    "registration_create",
    "waitlist_refresh",
]

# What a registrant changes on the self-service page (vocations/events/services/self_service.py).
from .self_service import (  # noqa: E402
    registration_change_companions,
    registration_change_session,
    registration_rename,
)

__all__ += ["registration_change_companions", "registration_change_session", "registration_rename"]

# Check-in at the door (vocations/events/services/checkin.py).
from .checkin import CheckInResult, registration_check_in, registration_set_attendance  # noqa: E402

__all__ += ["CheckInResult", "registration_check_in", "registration_set_attendance"]

# Partners and the flagship programme (vocations/events/services/programme.py).
from .programme import (  # noqa: E402
    SessionData,
    SpaceData,
    partner_add,
    partner_remove,
    partner_update,
    session_create,
    session_delete,
    session_invitations_set,
    session_update,
    space_create,
    space_delete,
    space_update,
    universe_create,
    universe_delete,
    universe_update,
)

__all__ += [
    "SessionData",
    "SpaceData",
    "partner_add",
    "partner_remove",
    "partner_update",
    "session_create",
    "session_delete",
    "session_invitations_set",
    "session_update",
    "space_create",
    "space_delete",
    "space_update",
    "universe_create",
    "universe_delete",
    "universe_update",
]

# The waiting list: strict order, automatic confirmation or offers (services/waitlist.py).
from .waitlist import (  # noqa: E402
    OFFER_HOURS_CHOICES,
    OfferError,
    promote_waitlist,
    waitlist_offer_accept,
    waitlist_offers_expire,
    waitlist_refresh,
)

__all__ += ["OFFER_HOURS_CHOICES", "OfferError", "waitlist_offer_accept", "waitlist_offers_expire"]
