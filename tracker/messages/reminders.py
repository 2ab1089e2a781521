"""What is due now: each kind of reminder, worked out from the data and queued once per
(kind, recipient, period). Called by ``flask reminders run``."""
from __future__ import annotations

import datetime as dt


def queue_due(moment: dt.datetime) -> dict[str, int]:
    """Queue every reminder due at ``moment``; returns how many of each kind were added."""
    return {}
