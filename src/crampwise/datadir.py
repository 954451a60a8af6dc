"""The user's data folder for crampwise's own files (the web app's signing key).

It is the platformdirs folder the diary's default SQLite file lives in; ``CRAMPWISE_DATA_DIR``
moves it (tests point it at a temporary folder).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "CRAMPWISE_DATA_DIR"


def user_data_dir() -> Path:
    """``CRAMPWISE_DATA_DIR`` if set, else the platform's user data folder for crampwise."""
    folder = os.environ.get(ENV_VAR, "").strip()
    if folder:
        return Path(folder).expanduser()
    import platformdirs  # only needed when no folder is configured

    return Path(platformdirs.user_data_dir("crampwise"))
