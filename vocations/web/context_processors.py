"""Values every public template may use. Nothing here touches the database."""

from django.conf import settings

from vocations.core.site import CAMPAIGN_NAME, CAMPAIGN_SIGNATURE, SITE_NAME


def site(request):
    return {
        "SITE_NAME": SITE_NAME,
        "CAMPAIGN_NAME": CAMPAIGN_NAME,
        "CAMPAIGN_SIGNATURE": CAMPAIGN_SIGNATURE,
        "SITE_URL": settings.SITE_URL,
    }
