"""Live reload: a Server-Sent Events channel and the script injected into served HTML.

The channel is one-way by construction (SSE): the server sends only the messages "reload" and
"error" and reads nothing from the client but the page path it was opened for. The script is added
to HTML responses on their way out, never to files on disk, so the build in the cache is exactly
what `briefgen build` would publish. The script remembers the scroll position across a reload.

Each page carries the state token (generation) it was served at; a subscriber whose token is
stale gets "reload" at once, so a rebuild that finished between the page load and the subscription
is not missed.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["EVENTS_PATH", "Broker", "Message", "Subscription", "inject", "is_close", "script_tag"]

EVENTS_PATH = "/__briefgen/events"
Message = Literal["reload", "error"]
_CLOSE = "close"

_SCRIPT = """<script data-briefgen-livereload>(function () {
  var key = "briefgen-scroll:" + location.pathname, saved = null;
  try { saved = sessionStorage.getItem(key); sessionStorage.removeItem(key); } catch (e) {}
  if (saved !== null) {
    addEventListener("load", function () { scrollTo(0, Number(saved) || 0); });
  }
  if (!window.EventSource) { return; }
  var source = new EventSource("%(events)s?token=%(token)s&path="
    + encodeURIComponent(location.pathname));
  source.onmessage = function (event) {
    if (event.data !== "reload" && event.data !== "error") { return; }
    try { sessionStorage.setItem(key, String(scrollY)); } catch (e) {}
    source.close();
    location.reload();
  };
}());</script>"""


def script_tag(token: int) -> str:
    """The live-reload script for a page served at state generation `token`."""
    return _SCRIPT % {"events": EVENTS_PATH, "token": int(token)}


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject(html: bytes, addition: str) -> bytes:
    """html with addition inserted before the last </body> (or at the end)."""
    extra = addition.encode("utf-8")
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + extra
    at = matches[-1].start()
    return html[:at] + extra + html[at:]


@dataclass(eq=False)
class Subscription:
    """One open event stream: the page it watches and its queue of messages."""

    page: str
    token: int
    messages: queue.Queue[str] = field(default_factory=queue.Queue)

    def send(self, message: str) -> None:
        self.messages.put(message)


class Broker:
    """Open event streams; sends a message to all of them, or to those a predicate picks."""

    def __init__(self, limit: int = 256) -> None:
        self._lock = threading.Lock()
        self._subs: set[Subscription] = set()
        self.limit = limit
        self.closed = False

    def subscribe(self, page: str, token: int) -> Subscription | None:
        """A new subscription, or None when closed or at the limit."""
        with self._lock:
            if self.closed or len(self._subs) >= self.limit:
                return None
            sub = Subscription(page, token)
            self._subs.add(sub)
            return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs.discard(sub)

    def __len__(self) -> int:
        with self._lock:
            return len(self._subs)

    def publish(self, message: Message, token: int,
                wants: Callable[[Subscription], bool] = lambda _sub: True) -> int:
        """Send message to each subscription that wants it; the others move to token. Returns
        how many were sent."""
        with self._lock:
            subs = list(self._subs)
        sent = 0
        for sub in subs:
            if wants(sub):
                sub.send(message)
                sent += 1
            sub.token = token
        return sent

    def close(self) -> None:
        """End every stream (server shutdown)."""
        with self._lock:
            self.closed = True
            subs = list(self._subs)
        for sub in subs:
            sub.send(_CLOSE)


def is_close(message: str) -> bool:
    return message == _CLOSE
