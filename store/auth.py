"""The editor role: credentials from the environment, hashed with Argon2 (argon2-cffi), and
logins that slow down after failures.

Configuration (never in the repository):
- ``ATLAS_EDITORS``: ``name:hash`` entries separated by ``;`` or new lines, or
- ``ATLAS_EDITORS_FILE``: a file with one ``name:hash`` per line (``#`` comments allowed).
Make a hash with ``python cli.py hash-password`` (asks twice, prints ``$argon2id$...``).
A plain-text password in the configuration is refused, so it cannot be used by mistake.

Failed logins for a name (whatever the password) double the wait before the next attempt is
even checked: 1 s after the 3rd failure, then 2, 4, ... up to 5 minutes; a success resets.
The counter lives in the server process (shared by all its sessions).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()
FREE_FAILURES = 2
MAX_WAIT_S = 300.0


class EditorConfigError(ValueError):
    pass


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise EditorConfigError("密码至少 8 个字符 / a password needs at least 8 characters")
    return HASHER.hash(password)


def parse_editors(text: str) -> dict[str, str]:
    editors: dict[str, str] = {}
    for raw in text.replace(";", "\n").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, digest = line.partition(":")
        name, digest = name.strip(), digest.strip()
        if not sep or not name or not digest.startswith("$argon2"):
            raise EditorConfigError(
                f"编辑者配置有误（{name or line[:20]}）：应为 名字:$argon2id$... 哈希 / "
                f"bad editor entry ({name or line[:20]}): expected name:$argon2id$... hash"
            )
        editors[name] = digest
    return editors


def editors_from_env() -> dict[str, str]:
    text = os.environ.get("ATLAS_EDITORS", "")
    file = os.environ.get("ATLAS_EDITORS_FILE")
    if file:
        text += "\n" + Path(file).read_text(encoding="utf-8")
    return parse_editors(text)


@dataclass
class _Failures:
    count: int = 0
    until: float = 0.0


@dataclass
class Gate:
    """Checks editor logins; one per server process."""

    editors: dict[str, str]
    clock: object = time.monotonic
    _failures: dict[str, _Failures] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_left(self, name: str) -> float:
        now = self.clock()  # type: ignore[operator]
        with self._lock:
            state = self._failures.get(name)
            return 0.0 if state is None else max(0.0, state.until - now)

    def login(self, name: str, password: str) -> bool:
        """True for a known name with its password. Refused without checking while the
        name must wait (see ``wait_left``)."""
        if self.wait_left(name) > 0:
            return False
        digest = self.editors.get(name)
        ok = False
        if digest is not None:
            try:
                ok = HASHER.verify(digest, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            # Spend the same time as a real check, so a missing name is not told apart.
            with contextlib.suppress(VerificationError, InvalidHashError):
                HASHER.verify(_DUMMY, password)
        with self._lock:
            if ok:
                self._failures.pop(name, None)
            else:
                state = self._failures.setdefault(name, _Failures())
                state.count += 1
                if state.count > FREE_FAILURES:
                    wait = min(MAX_WAIT_S, 2.0 ** (state.count - FREE_FAILURES - 1))
                    state.until = self.clock() + wait  # type: ignore[operator]
        return ok


_DUMMY = HASHER.hash("not a password of anyone")
