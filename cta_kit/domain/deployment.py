"""Which settings are unsafe for a production server: pure rules over plain values."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from .i18n import Message, N_

# Filesystems where SQLite's locking is unreliable (SQLite's own FAQ, "network filesystems").
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "fuse.sshfs", "9p", "afs", "glusterfs", "ceph", "fuse.s3fs"}
)


@dataclass(frozen=True)
class DeploymentSettings:
    debug: bool
    testing: bool
    secret_key: str
    public_base_url: str | None
    session_cookie_secure: bool
    session_cookie_httponly: bool
    session_cookie_samesite: str | None
    csrf_enabled: bool
    database_backend: str
    sqlite_filesystem: str | None = None  # the filesystem type holding the SQLite file, when SQLite


def deployment_problems(settings: DeploymentSettings) -> list[str]:
    problems = []
    if settings.debug:
        problems.append((
                "Debug mode is on: errors show their internals to visitors. "
                "Remove CTA_KIT_DEBUG, FLASK_DEBUG and any DEBUG line in instance/config.py."
            ))
    if settings.testing:
        problems.append("Testing mode is on: it turns off safety checks. Unset CTA_KIT_TESTING.")
    if len(settings.secret_key) < 32:
        problems.append("The secret key is shorter than 32 characters: remove CTA_KIT_SECRET_KEY to use the generated one.")
    if not settings.csrf_enabled:
        problems.append("CSRF protection is off: other sites could submit forms as a logged-in user. Unset CTA_KIT_WTF_CSRF_ENABLED.")
    if not settings.session_cookie_httponly:
        problems.append(
            "Session cookies are readable by scripts (HttpOnly is off). Unset CTA_KIT_SESSION_COOKIE_HTTPONLY."
        )
    if str(settings.session_cookie_samesite).lower() not in ("lax", "strict"):
        problems.append(
            f"Session cookies are sent along with other sites' requests (SameSite={settings.session_cookie_samesite}). "
            "Unset CTA_KIT_SESSION_COOKIE_SAMESITE to keep Lax."
        )
    problems.extend(_public_base_url_problems(settings))
    if settings.database_backend == "sqlite" and settings.sqlite_filesystem in NETWORK_FILESYSTEMS:
        problems.append(
            f"The SQLite database is on a network filesystem ({settings.sqlite_filesystem}), where its locking is unreliable: "
            "keep it on a local disk or use PostgreSQL."
        )
    return problems


def _public_base_url_problems(settings: DeploymentSettings) -> list[str]:
    """The same rules as the owners' Settings page, so both accept and refuse the same addresses."""
    base = settings.public_base_url
    if not base:
        return [
            "No public base URL: tracked QR codes cannot point anywhere. Set CTA_KIT_PUBLIC_BASE_URL=https://reviews.example.com "
            "or set it on the owners' Settings page."
        ]
    problems = [f"The public base URL {base!r} cannot be printed on cards: {problem.render()}"
                for problem in public_address_problems(base)]
    if base.strip().lower().startswith("https:") and not settings.session_cookie_secure:
        problems.append(
            "The site is served over HTTPS but session cookies are not marked Secure: set CTA_KIT_SESSION_COOKIE_SECURE=true."
        )
    return problems


def filesystem_of(path: str, mounts: str) -> str | None:
    """The filesystem type of the mount holding ``path``, from /proc/mounts text."""
    best, best_type = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        inside = path == mount_point or path.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, fields[2]
    return best_type


LOCAL_HOST_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


def public_address_problems(address: str) -> list[Message]:
    """Why ``address`` cannot be the app's public address printed in tracked QR codes; [] when it can.

    Customers' phones open it from anywhere: https, a public host name, nothing after the host
    but an optional port (the app adds /r/<code>/<site> itself).
    """
    try:
        parts = urlsplit(address.strip())
        parts.port  # noqa: B018 - reading it raises on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme != "https" or not parts.hostname:
        return [Message(N_("Give an address starting with https://, such as https://avis.example.fr."))]
    problems = []
    if parts.username is not None or parts.password is not None:
        problems.append(Message(N_("Leave out the user name and password: give only https:// and the host name.")))
    if parts.path not in ("", "/") or parts.query or parts.fragment or address.strip().endswith("?"):
        problems.append(Message(
            N_("Give only https:// and the host name, with nothing after it, such as https://avis.example.fr.")))
    if _is_local_host(parts.hostname):
        problems.append(Message(
            N_("%(host)s is only reachable from this machine or network: customers' phones cannot open it."),
            {"host": parts.hostname}))
    return problems


def public_address_problem(address: str) -> Message | None:
    """The first reason ``address`` cannot be the public address, or None."""
    return next(iter(public_address_problems(address)), None)


def normalised_public_address(address: str) -> str:
    """The address as printed: lower-case host, no trailing slash."""
    parts = urlsplit(address.strip())
    return f"https://{parts.netloc.lower()}"


def _is_local_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(LOCAL_HOST_SUFFIXES) or "." not in host and ":" not in host:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not ip.is_global
