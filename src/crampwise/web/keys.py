"""The per-installation signing key: one random secret kept in the user's data folder.

It signs the interview state in hidden fields and the CSRF tokens, so both survive a restart.
The file is created on first use with mode 0600; two processes starting at once end up with
one key, because the file appears atomically (a hard link of a fully written temporary file)
and whoever loses the race reads the winner's key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from crampwise.errors import KeyFileError

KEY_FILE = "secret.key"
KEY_BYTES = 32


def installation_key(folder: Path) -> bytes:
    """The key in ``folder/secret.key``, created (mode 0600) if there is none yet."""
    path = folder / KEY_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        _create(path)
        return _read(path)
    except OSError as exc:
        raise KeyFileError(f"cannot create the key file {path}: {exc.strerror}") from None


def derive(key: bytes, purpose: str) -> bytes:
    """A separate key per purpose, so a token made for one use is worthless for another."""
    return hmac.new(key, purpose.encode(), hashlib.sha256).digest()


def _create(path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(KEY_BYTES) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)  # fails if another process linked its key first: keep theirs
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def _read(path: Path) -> bytes:
    try:
        mode = path.stat().st_mode
        if mode & 0o077:  # readable by others: tighten it, the key guards the diary's forms
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        text = path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        raise FileNotFoundError(path) from None  # not there yet: the caller creates it
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not text"
        raise KeyFileError(f"cannot read the key file {path}: {reason}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyFileError(
            f"the key file {path} is damaged: delete it and crampwise makes a new one "
            "(interviews in progress then have to start again)"
        )
    return key
