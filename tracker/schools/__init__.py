"""Schools, the model guidance and its adoption."""

# Keeps the adoption counts on every flush that adds a school or a guidance version or moves a
# school in them (counts._after_flush).
from tracker.schools import counts  # noqa: F401
