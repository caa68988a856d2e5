"""Bots, crawlers and link-preview fetchers: their visits are stored flagged, never counted.

The list is deliberately broad. Decisions (docs/analytics.md):
- link previews (LinkedInBot, facebookexternalhit, Twitterbot, Slackbot, WhatsApp, Telegram,
  Discord, Skype…) fetch /l/<code> when a link is posted: counting them would credit a post
  with visits nobody made;
- command-line and library clients (curl, Wget, python-requests, Go, Java, okhttp…) are not
  people reading pages: flagged;
- an empty user agent is flagged too (every browser sends one);
- headless browsers and audit tools (HeadlessChrome, Lighthouse) are flagged.
"""

from __future__ import annotations

import re

_TOKENS = (
    r"bot\b",
    r"bot/",
    r"crawler",
    r"spider",
    r"slurp",
    r"facebookexternalhit",
    r"facebookcatalog",
    r"meta-externalagent",
    r"linkedinbot",
    r"twitterbot",
    r"slackbot",
    r"slack-imgproxy",
    r"whatsapp",
    r"telegrambot",
    r"discordbot",
    r"skypeuripreview",
    r"googlebot",
    r"google-inspectiontool",
    r"adsbot-google",
    r"mediapartners-google",
    r"bingbot",
    r"bingpreview",
    r"applebot",
    r"duckduckbot",
    r"yandex",
    r"baiduspider",
    r"qwantify",
    r"petalbot",
    r"semrush",
    r"ahrefs",
    r"embedly",
    r"pinterest",
    r"redditbot",
    r"iframely",
    r"preview",
    r"headlesschrome",
    r"lighthouse",
    r"pingdom",
    r"uptimerobot",
    r"^curl/",
    r"^wget/",
    r"python-requests",
    r"python-urllib",
    r"python-httpx",
    r"aiohttp",
    r"go-http-client",
    r"okhttp",
    r"^java/",
    r"libwww-perl",
    r"httpclient",
    r"scrapy",
)
_BOT_RE = re.compile("|".join(_TOKENS), re.IGNORECASE)


def is_bot(user_agent: str) -> bool:
    ua = (user_agent or "").strip()
    if not ua:
        return True
    return bool(_BOT_RE.search(ua[:512]))
