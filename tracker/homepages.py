"""What each role's home page shows. Features add their panels here as they arrive."""
from __future__ import annotations

from typing import Any


def panels_for(user: Any) -> dict[str, Any]:
    """Data for the role's home page; empty until the features that fill it exist."""
    return {}
