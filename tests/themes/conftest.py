"""The recommendation tests' small world (one Open decision, its part (a), a recommendation
owned by an officer and its action), for themes, search and repeated learning."""
from __future__ import annotations

from tests.recommendations.conftest import as_user, world  # noqa: F401  (fixtures)
