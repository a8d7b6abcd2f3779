"""Login with a brake: repeated wrong passwords lock the account name for a while, doubling each time.

Gradio calls `auth(username, password) -> bool`. Without a brake, 40 wrong passwords
took 0.28 s. Here each account name may fail `max_failures` times within `window_s`;
then every attempt for it (right password included) is refused for `lockout_s`,
doubling with each further lockout up to `lockout_max_s`. Failures over all names
are capped too (`global_per_min`), so guessing many names at once is slowed as well.
Every refusal is logged with the reason; passwords never are.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class _Account:
    failures: deque = field(default_factory=deque)  # monotonic times of recent failures
    locked_until: float = 0.0
    lockouts: int = 0


class LoginGuard:
    def __init__(
        self,
        user: str,
        password: str,
        max_failures: int = 5,
        window_s: float = 300.0,
        lockout_s: float = 30.0,
        lockout_max_s: float = 900.0,
        global_per_min: int = 30,
        clock=time.monotonic,
    ) -> None:
        self._user, self._password = user, password
        self.max_failures, self.window_s = max_failures, window_s
        self.lockout_s, self.lockout_max_s, self.global_per_min = lockout_s, lockout_max_s, global_per_min
        self._clock = clock
        self._accounts: dict[str, _Account] = {}
        self._recent: deque = deque()  # failure times over every name, for the global cap
        self._lock = threading.Lock()

    def __call__(self, username: str, password: str) -> bool:
        now = self._clock()
        name = (username or "")[:64]
        with self._lock:
            account = self._accounts.setdefault(name, _Account())
            _forget(self._recent, now - 60)
            if account.locked_until > now:
                log.warning("login refused for %r: locked for %.0f s more", name, account.locked_until - now)
                return False
            if len(self._recent) >= self.global_per_min:
                log.warning(
                    "login refused for %r: %d failed logins in the last minute", name, len(self._recent)
                )
                return False
            ok = hmac.compare_digest(name.encode(), self._user.encode()) & hmac.compare_digest(
                (password or "").encode(), self._password.encode()
            )
            if ok:
                account.failures.clear()
                account.lockouts = 0
                return True
            self._fail(name, account, now)
            return False

    def _fail(self, name: str, account: _Account, now: float) -> None:
        self._recent.append(now)
        account.failures.append(now)
        _forget(account.failures, now - self.window_s)
        if len(account.failures) >= self.max_failures:
            seconds = min(self.lockout_s * 2**account.lockouts, self.lockout_max_s)
            account.locked_until = now + seconds
            account.lockouts += 1
            account.failures.clear()
            log.warning("login for %r locked for %.0f s after %d failures", name, seconds, self.max_failures)
        if len(self._accounts) > 10_000:  # names are attacker-chosen: do not let the table grow forever
            self._accounts = {k: v for k, v in self._accounts.items() if v.locked_until > now}


def _forget(times: deque, before: float) -> None:
    while times and times[0] < before:
        times.popleft()
