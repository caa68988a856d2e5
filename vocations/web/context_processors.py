"""Values every public template may use. Nothing here touches the database."""

from django.conf import settings

SITE_NAME = "Vocations"
CAMPAIGN_NAME = "Avec l'industrie"
# The campaign's own signature, as announced by Opco 2i at the launch (17 February 2023).
CAMPAIGN_SIGNATURE = "On a un avenir à fabriquer"


def site(request):
    return {
        "SITE_NAME": SITE_NAME,
        "CAMPAIGN_NAME": CAMPAIGN_NAME,
        "CAMPAIGN_SIGNATURE": CAMPAIGN_SIGNATURE,
        "SITE_URL": settings.SITE_URL,
    }
