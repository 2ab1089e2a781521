"""Fingerprinted static files: ``url_for('static', filename='css/tracker.css')`` gives
``/static/css/tracker.<12 hex digits of its SHA-256>.css``, so a browser (and nginx, which
serves these names itself: deploy/nginx/tracker.conf) may keep each file for a year: a
changed file has a new name, and a page never gets yesterday's script with today's HTML.

Behind nginx, ``flask collect-static DEST`` copies every file to DEST under both names, and
nginx serves DEST (deploy/nginx/tracker.conf). Copies from earlier releases are left in place,
so a page from a host still on the last release finds its files during a rolling release.

The names are worked out once, when the app starts, from the files under ``static/`` (the
Sass sources in ``static/src`` are not served). The app answers fingerprinted names too (for
development, tests, and a host without nginx in front), with the same year-long lifetime;
plain names still work, with the default short lifetime (a stylesheet's own ``url(...)``
and a script module's ``import`` use them).
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import click
from flask import Flask, abort, send_from_directory
from werkzeug.wrappers import Response

YEAR = 365 * 24 * 3600
NOT_SERVED = ("src/",)
FINGERPRINT = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")


def fingerprinted(name: str, content: bytes) -> str:
    """``css/tracker.css`` -> ``css/tracker.<digest>.css`` (a name without a suffix gets
    the digest at its end)."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    path = Path(name)
    stem, suffix = (name[: -len(path.suffix)], path.suffix) if path.suffix else (name, "")
    return f"{stem}.{digest}{suffix}"


def build_manifest(folder: Path) -> dict[str, str]:
    """Every servable file under ``folder``: its name -> its fingerprinted name."""
    manifest = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and not name.startswith(NOT_SERVED):
            manifest[name] = fingerprinted(name, path.read_bytes())
    return manifest


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder or "static")
    manifest = build_manifest(folder)
    originals = {fp: name for name, fp in manifest.items()}
    app.extensions["static_manifest"] = manifest

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    def static(filename: str) -> Response:
        if filename.startswith(NOT_SERVED):
            abort(404)
        original = originals.get(filename)
        if original is None:
            return app.send_static_file(filename)
        response = send_from_directory(folder, original, max_age=YEAR)
        response.cache_control.public = True
        response.cache_control.immutable = True
        return response

    app.view_functions["static"] = static

    @app.cli.command("collect-static")
    @click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
    def collect_static(dest: Path) -> None:
        """Copy the static files to DEST/static for nginx, by plain and fingerprinted name."""
        written = collect(folder, manifest, dest)
        click.echo(f"{written} files copied to {dest / 'static'}")


def collect(folder: Path, manifest: dict[str, str], dest: Path) -> int:
    """Copy each file to ``dest/static`` under its fingerprinted name (never overwritten: the
    name is its content) and its plain name (the current release's); returns how many."""
    written = 0
    for name, fp in manifest.items():
        for target_name in (fp, name):
            target = dest / "static" / target_name
            if target_name == fp and target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(folder / name, partial)
            partial.replace(target)  # never a half-written file on a name nginx serves
            written += 1
    return written
