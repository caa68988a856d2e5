"""The networks a member speaks on: their domains (to check post URLs) and default audiences.

Pure data and functions, no database: the coverage computation and the post form share them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import models

from vocations.core.audiences import Audience


class Network(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    BLUESKY = "bluesky", "Bluesky"
    BLOG = "blog", "Blog ou newsletter"
    LOCAL_PRESS = "local_press", "Presse locale"
    IN_PERSON = "in_person", "En personne (événements)"
    OTHER = "other", "Autre"


# A post on these networks must be on one of their domains (or a subdomain). Blogs, the local
# press and "other" can be anywhere: only http(s) is checked for them.
NETWORK_DOMAINS: dict[str, tuple[str, ...]] = {
    Network.LINKEDIN: ("linkedin.com", "lnkd.in"),
    Network.INSTAGRAM: ("instagram.com",),
    Network.TIKTOK: ("tiktok.com",),
    Network.YOUTUBE: ("youtube.com", "youtu.be"),
    Network.X: ("x.com", "twitter.com"),
    Network.FACEBOOK: ("facebook.com", "fb.com", "fb.watch"),
    Network.BLUESKY: ("bsky.app",),
}

# Who a network reaches by default (the member can change it for their own account): from the
# article, young people are on TikTok/Instagram, parents and advisers on LinkedIn/Facebook.
DEFAULT_AUDIENCES: dict[str, tuple[str, ...]] = {
    Network.LINKEDIN: (
        Audience.PARENTS,
        Audience.JOB_SEEKERS,
        Audience.CAREER_CHANGERS,
        Audience.ADVISERS,
    ),
    Network.INSTAGRAM: (Audience.YOUNG_PEOPLE, Audience.GENERAL_PUBLIC),
    Network.TIKTOK: (Audience.YOUNG_PEOPLE,),
    Network.YOUTUBE: (Audience.YOUNG_PEOPLE, Audience.GENERAL_PUBLIC),
    Network.X: (Audience.PRESS, Audience.GENERAL_PUBLIC),
    Network.FACEBOOK: (Audience.PARENTS, Audience.GENERAL_PUBLIC),
    Network.BLUESKY: (Audience.PRESS, Audience.GENERAL_PUBLIC),
    Network.BLOG: (Audience.ADVISERS, Audience.GENERAL_PUBLIC),
    Network.LOCAL_PRESS: (Audience.PARENTS, Audience.GENERAL_PUBLIC),
    Network.IN_PERSON: (Audience.YOUNG_PEOPLE, Audience.PARENTS, Audience.ADVISERS),
    Network.OTHER: (Audience.GENERAL_PUBLIC,),
}

# Networks a member can declare an account on ("other" is only for posts).
PROFILE_NETWORKS = [choice for choice in Network.choices if choice[0] != Network.OTHER]


def default_audiences(network: str) -> list[str]:
    return [str(a) for a in DEFAULT_AUDIENCES.get(network, ())]


def post_url_error(network: str, url: str) -> str | None:
    """A French message when `url` cannot be a post of `network`, else None."""
    if network not in Network.values:
        return "Réseau inconnu."
    if not url or len(url) > 500:
        return "Indiquez l'adresse de la publication (500 caractères au plus)."
    if any(char.isspace() for char in url):
        return "L'adresse de la publication ne doit pas contenir d'espace."
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "L'adresse doit commencer par http:// ou https:// et nommer un site."
    domains = NETWORK_DOMAINS.get(network)
    if not domains:
        return None
    host = parts.hostname.lower().rstrip(".")
    if any(host == d or host.endswith("." + d) for d in domains):
        return None
    label = Network(network).label
    return (
        f"Cette adresse n'est pas sur {label} ({', '.join(domains)}) : "
        "corrigez-la ou choisissez le réseau « Autre »."
    )
