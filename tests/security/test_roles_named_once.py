"""Who may see what is decided in one place: the roles are named in tracker/permissions.py
(and labelled in tracker/vocab.py) and nowhere else in the code or the templates, which ask
the permission functions (or ``may_open``, a page's ``@roles``) instead."""
from __future__ import annotations

import re
from pathlib import Path

from tracker.permissions import ALL_ROLES

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {ROOT / "tracker" / "permissions.py", ROOT / "tracker" / "vocab.py"}
ROLE_STRING = re.compile(r"""["'](%s)["']""" % "|".join(ALL_ROLES))


def test_no_role_name_is_written_outside_the_permissions_module():
    found = []
    for path in sorted([*(ROOT / "tracker").rglob("*.py"), *(ROOT / "templates").rglob("*.html")]):
        if path in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_STRING.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "role names written outside tracker/permissions.py:\n" + "\n".join(found)
