from .accreditations import PressAccreditation
from .activity import EventActivity
from .coverage import EventOutcomeFacts, MediaArticle
from .events import Event, EventAudience, EventPartner, Partner
from .labels import Label, LabelPeriod, LabelTransition
from .notices import NoticeDigest, OrganizerNotice
from .programme import Session, SessionInvitation, Space, Universe
from .registrations import Registration

__all__ = [
    "PressAccreditation",
    "Event",
    "EventActivity",
    "EventAudience",
    "EventOutcomeFacts",
    "EventPartner",
    "Label",
    "LabelPeriod",
    "LabelTransition",
    "MediaArticle",
    "NoticeDigest",
    "OrganizerNotice",
    "Partner",
    "Registration",
    "Session",
    "SessionInvitation",
    "Space",
    "Universe",
]
