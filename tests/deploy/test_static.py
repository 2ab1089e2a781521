"""Fingerprinted static files (tracker.static_files): pages name each file by its content, the
fingerprinted name is kept a year, a plain name still works with a short lifetime."""
from __future__ import annotations

import hashlib
import re

from tracker import ROOT
from tracker.static_files import YEAR, build_manifest, collect, fingerprinted


def test_a_name_carries_the_first_twelve_hex_digits_of_its_content_hash():
    digest = hashlib.sha256(b"body{}").hexdigest()[:12]
    assert fingerprinted("css/tracker.css", b"body{}") == f"css/tracker.{digest}.css"
    assert fingerprinted("vendor/plotly/LICENSE", b"x").startswith("vendor/plotly/LICENSE.")


def test_every_served_file_is_in_the_manifest_and_the_sass_sources_are_not(tmp_path):
    manifest = build_manifest(ROOT / "static")
    assert "css/tracker.css" in manifest and "js/init.mjs" in manifest
    assert not any(name.startswith("src/") for name in manifest)
    (tmp_path / "a.js").write_text("one")
    first = build_manifest(tmp_path)["a.js"]
    (tmp_path / "a.js").write_text("two")
    assert build_manifest(tmp_path)["a.js"] != first  # a changed file gets a new name


def test_pages_link_fingerprinted_files_kept_for_a_year(client):
    html = client.get("/sign-in").get_data(as_text=True)
    [href] = re.findall(r'href="(/static/css/tracker\.[0-9a-f]{12}\.css)"', html)
    response = client.get(href)
    assert response.status_code == 200
    assert response.data == (ROOT / "static/css/tracker.css").read_bytes()
    assert response.cache_control.max_age == YEAR
    assert response.cache_control.immutable and response.cache_control.public
    response.close()


def test_a_plain_name_still_works_with_a_short_lifetime_and_sources_are_not_served(client):
    plain = client.get("/static/css/tracker.css")
    assert plain.status_code == 200 and not plain.cache_control.immutable
    plain.close()
    assert client.get("/static/src/tracker.scss").status_code == 404
    wrong = client.get("/static/css/tracker.000000000000.css")
    assert wrong.status_code == 404


def test_collect_static_copies_both_names_and_keeps_earlier_releases_files(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["collect-static", str(tmp_path / "www")])
    assert result.exit_code == 0, result.output
    manifest = app.extensions["static_manifest"]
    for name in ("css/tracker.css", "js/init.mjs"):
        original = (ROOT / "static" / name).read_bytes()
        assert (tmp_path / "www/static" / name).read_bytes() == original
        assert (tmp_path / "www/static" / manifest[name]).read_bytes() == original
    assert not (tmp_path / "www/static/src").exists()
    assert not list((tmp_path / "www").rglob("*.partial"))

    # The next release changes a file: its new name is added, the old one stays.
    release = tmp_path / "next"
    (release / "js").mkdir(parents=True)
    (release / "js/init.mjs").write_text("// the next release")
    next_manifest = build_manifest(release)
    collect(release, next_manifest, tmp_path / "www")
    assert (tmp_path / "www/static" / manifest["js/init.mjs"]).exists()
    assert (tmp_path / "www/static" / next_manifest["js/init.mjs"]).read_text() == \
        "// the next release"
    assert (tmp_path / "www/static/js/init.mjs").read_text() == "// the next release"
