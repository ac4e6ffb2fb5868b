"""One index of each kind per process, rebuilt lazily when the generation of its sources changes. The generation
(counts and last changes of the source tables) is read at most every ``MATCHING_INDEX_CHECK_SECONDS``; while one
thread checks it or rebuilds, the others keep searching the current index instead of waiting."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings

DEFAULT_CHECK_SECONDS = 5.0


class LazyIndex:
    def __init__(self, load: Callable[[], list], build: Callable[[list], object], generation: Callable[[], tuple]):
        self._load, self._build, self._generation = load, build, generation
        self._lock = threading.Lock()
        self._index = None
        self._current: tuple | None = None
        self._checked_at = 0.0
        self.builds = 0

    def get(self):
        interval = getattr(settings, "MATCHING_INDEX_CHECK_SECONDS", DEFAULT_CHECK_SECONDS)
        now = time.monotonic()
        if self._index is not None and now - self._checked_at < interval:
            return self._index
        index = self._index
        if index is None:
            self._lock.acquire()
        elif not self._lock.acquire(blocking=False):
            return index  # another thread checks or rebuilds: the current index serves meanwhile
        try:
            generation = self._generation()
            self._checked_at = time.monotonic()
            if self._index is None or generation != self._current:
                self._index = self._build(self._load())
                self._current = generation
                self.builds += 1
            return self._index
        finally:
            self._lock.release()

    def reset(self) -> None:
        with self._lock:
            self._index, self._current, self._checked_at = None, None, 0.0
            if hasattr(self._load, "reset"):
                self._load.reset()  # a loader that keeps records between reads forgets them
