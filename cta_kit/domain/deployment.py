"""Which settings are unsafe for a production server: pure rules over plain values."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

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
    database_backend: str
    sqlite_filesystem: str | None = None  # the filesystem type holding the SQLite file, when SQLite


def deployment_problems(settings: DeploymentSettings) -> list[str]:
    problems = []
    if settings.debug:
        problems.append("Debug mode is on: it shows tracebacks and an interactive console. Unset CTA_KIT_DEBUG.")
    if settings.testing:
        problems.append("Testing mode is on: it turns off safety checks. Unset CTA_KIT_TESTING.")
    if len(settings.secret_key) < 32:
        problems.append("The secret key is shorter than 32 characters: remove CTA_KIT_SECRET_KEY to use the generated one.")
    base = settings.public_base_url
    if not base:
        problems.append(
            "No public base URL: tracked QR codes cannot point anywhere. Set CTA_KIT_PUBLIC_BASE_URL=https://reviews.example.com."
        )
    else:
        parts = urlsplit(base)
        if parts.scheme != "https" or not parts.hostname:
            problems.append(f"The public base URL {base!r} is not an https:// address customers' phones can open.")
        elif not settings.session_cookie_secure:
            problems.append(
                "The site is served over HTTPS but session cookies are not marked Secure: set CTA_KIT_SESSION_COOKIE_SECURE=true."
            )
    if settings.database_backend == "sqlite" and settings.sqlite_filesystem in NETWORK_FILESYSTEMS:
        problems.append(
            f"The SQLite database is on a network filesystem ({settings.sqlite_filesystem}), where its locking is unreliable: "
            "keep it on a local disk or use PostgreSQL."
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
