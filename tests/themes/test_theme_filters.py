"""The dashboard and the committee report (page, CSV and Excel) filtered by theme
(?theme=id): only the recommendations with the theme are counted and listed."""
from __future__ import annotations

from tests.dashboard.pages import tables
from tests.themes.conftest import as_user
from tracker.clock import today


def _as_at() -> str:
    day = today()
    return f"as_at={day.isoformat()}"


def test_the_report_and_its_downloads_keep_only_the_themes_recommendations(client, world, make):
    themed = make.recommendation(world.part, reference="3.2", text="Themed words here")
    make.recommendation(world.part, reference="3.3", text="Unthemed words here")
    theme = make.theme([themed], name="Voice of the child")
    as_user(client, world.member)
    page = client.get(f"/reports/committee?decision={world.decision.id}&theme={theme.id}&{_as_at()}")
    text = page.get_data(as_text=True)
    assert "Themed words here" in text and "Unthemed words here" not in text
    assert "Agree a protocol." not in text
    full = client.get(f"/reports/committee?decision={world.decision.id}&{_as_at()}")
    assert "Unthemed words here" in full.get_data(as_text=True)
    csv = client.get(f"/reports/committee.csv?decision={world.decision.id}&theme={theme.id}"
                     f"&{_as_at()}").get_data().decode("utf-8-sig")
    assert "Themed words here" in csv and "Unthemed words here" not in csv
    excel = client.get(f"/reports/committee.xlsx?decision={world.decision.id}&theme={theme.id}"
                       f"&{_as_at()}")
    assert excel.status_code == 200 and excel.get_data()[:2] == b"PK"
    # A theme that does not exist (or is withdrawn) filters nothing.
    other = client.get(f"/reports/committee?decision={world.decision.id}&theme=999999&{_as_at()}")
    assert "Unthemed words here" in other.get_data(as_text=True)


def test_the_dashboard_counts_only_the_themes_recommendations(client, world, make):
    themed = make.recommendation(world.part, reference="3.2", text="Themed")
    make.recommendation(world.part, reference="3.3", text="Unthemed")
    theme = make.theme([themed], name="Training")
    as_user(client, world.member)
    def counted(url):  # type: ignore[no-untyped-def]
        found = tables(client.get(url).get_data(as_text=True))
        rows = found["Recommendations by source and status"]
        return rows[1][-1]  # the review row's "Counted in totals"
    assert counted(f"/dashboard?theme={theme.id}") == "1"
    assert counted("/dashboard") == "3"
