"""A key private to this user on this machine, to seal what anquan writes for itself (the
record cache, the hazard index) so that nothing committed to a shared repository, forged or
written by another account is ever trusted."""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

__all__ = ["user_key", "seal", "unseal"]


def _user_key() -> bytes | None:
    """This user's cache key (created on first use); None when it cannot be kept privately."""
    import secrets
    import stat

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "anquan"
    path = base / "key"
    try:
        base.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
        st = os.stat(path)
        if os.name == "posix" and (st.st_mode & (stat.S_IRWXG | stat.S_IRWXO) or st.st_uid != os.getuid()):
            return None  # readable by others or not ours: a seal anyone could forge
        key = path.read_bytes()
        return key if len(key) == 32 else None
    except OSError:
        return None


_KEY: list[bytes | None] = []


def user_key() -> bytes | None:
    if not _KEY:
        _KEY.append(_user_key())
    return _KEY[0]


def seal(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest() + data


def unseal(key: bytes, blob: bytes) -> bytes | None:
    """The data of a sealed blob, or None when the seal is not this key's."""
    mac, data = blob[:32], blob[32:]
    return data if hmac.compare_digest(mac, hmac.new(key, data, hashlib.sha256).digest()) else None
