"""What the code cites is in the repository: every document under docs/ named in the code, the
tests or the README exists, and no module cites a design document the project does not hold."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CITED = re.compile(r"docs/[\w.-]+\.md")


def _sources() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "tracker").rglob("*.py")),
            *sorted((ROOT / "tests").rglob("*.py")), *sorted((ROOT / "migrations").rglob("*.py"))]


def test_every_cited_document_exists():
    missing = sorted({f"{path.relative_to(ROOT)}: {name}" for path in _sources()
                      for name in CITED.findall(path.read_text(encoding="utf-8"))
                      if not (ROOT / name).is_file()})
    assert not missing, "cited but not in docs/:\n" + "\n".join(missing)


def test_no_module_cites_a_design_document_outside_the_repository():
    outside = [str(path.relative_to(ROOT)) for path in _sources()
               if path != Path(__file__) and "DESIGN.md" in path.read_text(encoding="utf-8")]
    assert not outside, outside
