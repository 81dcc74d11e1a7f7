"""Results kept for the process, from a key's second sight, within a budget: key -> value.

A batch worker builds hundreds of pages that share much (fixed words set in the same styles, the
same fonts' subsets); what one page alone needs would only churn a table and hold memory, and
every object kept long lengthens the cycle collector's full collections. So a key's first offer
only notes its hash; its second keeps the value. Beyond the budget the least recently used
entries leave first; each entry weighs 1, or what ``weigh`` says (bytes, for kept file data).
Private and light (standard library only): the font and page stages both use it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _one(_value: object) -> int:
    return 1


class Kept(Generic[K, V]):
    """Values kept from their key's second sight, least recently used out beyond ``limit``."""

    def __init__(self, limit: int, weigh: Callable[[V], int] = _one, seen: int = 4096) -> None:
        self._kept: dict[K, tuple[V, int]] = {}
        self._limit = limit
        self._weigh = weigh
        self._weight = 0
        self._lock = threading.Lock()
        self._seen: set[int] = set()  # the keys offered once, by their hashes
        self._seen_limit = seen

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._kept.pop(key, None)
            if found is None:
                return None
            self._kept[key] = found  # the most recently used, last out
            return found[0]

    def offered(self, key: K) -> bool:
        """Whether ``key`` was offered before, so that ``put`` would keep its value; if not,
        its hash is noted now, as ``put`` notes it (a caller can skip making the value)."""
        with self._lock:
            return self._seen_before(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            if not self._seen_before(key):
                return
            weight = self._weigh(value)
            if weight > self._limit:
                return
            old = self._kept.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            while self._kept and self._weight + weight > self._limit:
                self._weight -= self._kept.pop(next(iter(self._kept)))[1]
            self._kept[key] = (value, weight)
            self._weight += weight

    def _seen_before(self, key: K) -> bool:
        """Whether ``key``'s hash was noted before; if not, it is noted now. The caller holds
        the lock. A full set of hashes starts again: at worst a key waits one more sight."""
        digest = hash(key)
        if digest in self._seen:
            return True
        if len(self._seen) >= self._seen_limit:
            self._seen.clear()
        self._seen.add(digest)
        return False

    def __len__(self) -> int:
        return len(self._kept)

    @property
    def weight(self) -> int:
        """What the kept values weigh together: at most the limit."""
        return self._weight


__all__ = ["Kept"]
