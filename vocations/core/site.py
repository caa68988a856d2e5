"""Names every interface shows: the site, the campaign and its signature.

In core rather than in the public site: the back-office's communication kit uses them too.
"""

SITE_NAME = "Vocations"
CAMPAIGN_NAME = "Avec l'industrie"
# The campaign's own signature, as announced by Opco 2i at the launch (17 February 2023).
CAMPAIGN_SIGNATURE = "On a un avenir à fabriquer"
