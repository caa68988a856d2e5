from .accreditations import PressAccreditation
from .events import Event, EventAudience, EventPartner, Partner
from .labels import Label, LabelPeriod, LabelTransition
from .programme import Session, SessionInvitation, Space, Universe
from .registrations import Registration

__all__ = [
    "PressAccreditation",
    "Event",
    "EventAudience",
    "EventPartner",
    "Label",
    "LabelPeriod",
    "LabelTransition",
    "Partner",
    "Registration",
    "Session",
    "SessionInvitation",
    "Space",
    "Universe",
]
