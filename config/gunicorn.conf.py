"""gunicorn settings for `make serve-prod` (docs/privacy.md, "Access logs").

The access log keeps what operating the site needs (time, method, path, status, size,
duration) and nothing that identifies or opens anything: no client address, no user agent, no
referrer, no query string, and the secret segment of token paths (self-service links,
tickets, password-reset links, the API by token) replaced by ``…``. The logger class
enforces it, whatever ``access_log_format`` says: only the safe atoms exist.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

# Path segments that are secrets: the token after these prefixes (and the uid + token of a
# password-reset link).
TOKEN_PATH = re.compile(
    r"^(?P<prefix>/inscription/|/api/v1/registrations/|/organisateur/mot-de-passe/"
    r"(?!oublie/|envoye/|change/))(?P<secret>[^/]+(?:/[^/]+(?=/))?)"
)
SAFE_ATOMS = ("t", "m", "U", "s", "b", "L", "M", "D", "T", "H", "p")


def redact_path(path: str) -> str:
    return TOKEN_PATH.sub(lambda m: m.group("prefix") + "…", path or "", count=1)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        full = super().atoms(resp, req, environ, request_time)
        atoms = {name: full.get(name, "-") for name in SAFE_ATOMS}
        atoms["U"] = redact_path(full.get("U") or "")
        atoms["r"] = f"{atoms['m']} {atoms['U']} {atoms['H']}"
        for name in ("h", "l", "u", "q", "f", "a"):
            atoms[name] = "-"
        return atoms


logger_class = RedactingLogger
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'
