"""Every write of the ambassadors app (keyword-only, atomic, audited)."""

from .members import (
    ProfileData,
    ambassador_erase,
    ambassador_network_delete,
    ambassador_network_set,
    ambassador_update_profile,
    invitation_create,
    invitation_for_token,
    invitation_join,
    join_request_create,
    join_request_decide,
    theme_save,
)
from .mobilisations import (
    MobilisationData,
    PostData,
    mobilisation_create,
    mobilisation_join,
    post_declare,
    post_metrics_set,
)

__all__ = [
    "MobilisationData",
    "PostData",
    "ProfileData",
    "ambassador_erase",
    "ambassador_network_delete",
    "ambassador_network_set",
    "ambassador_update_profile",
    "invitation_create",
    "invitation_for_token",
    "invitation_join",
    "join_request_create",
    "join_request_decide",
    "mobilisation_create",
    "mobilisation_join",
    "post_declare",
    "post_metrics_set",
    "theme_save",
]
