"""Every route names the roles it admits (``@roles(...)``) or says it is public
(``@public``): a bare "signed in" is not enough, and forgetting is not possible."""
from __future__ import annotations

from tracker import create_app
from tracker.permissions import ALL_ROLES

KNOWN = set(ALL_ROLES) | {"anonymous"}


def test_every_view_declares_who_may_use_it():
    app = create_app("testing")
    missing, odd = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        allowed = getattr(view, "allowed_roles", None)
        if not allowed:
            missing.append(f"{rule.endpoint} ({rule.rule})")
        elif not set(allowed) <= KNOWN:
            odd.append(f"{rule.endpoint}: {sorted(allowed)}")
    assert not missing, "views without @roles(...) or @public:\n  " + "\n  ".join(missing)
    assert not odd, "views naming unknown roles:\n  " + "\n  ".join(odd)


def test_only_the_pages_anyone_may_read_are_public():
    """A new public page is a decision to make on purpose: add it here when you make it."""
    app = create_app("testing")
    public = sorted(rule.endpoint for rule in app.url_map.iter_rules()
                    if getattr(app.view_functions[rule.endpoint], "is_public", False))
    expected = {
        "auth.sign_in", "auth.enter_two_factor_code", "auth.set_up_two_factor",
        "auth.set_password", "main.accessibility", "main.privacy",
        "health.healthz", "health.readyz",  # a load balancer's questions: no data in answers
    }
    # The open-data API is public by design (totals for Open decisions, off unless switched on).
    extra = {e for e in public if e not in expected and not e.startswith("dashboard.api.")}
    assert not extra, f"unexpected public pages: {sorted(extra)}"
