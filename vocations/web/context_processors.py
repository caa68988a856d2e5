from django.conf import settings


def site(request):
    return {
        "SITE_NAME": "Vocations",
        "CAMPAIGN_SIGNATURE": "Avec l'industrie, faisons le futur",
        "SITE_URL": settings.SITE_URL,
    }
