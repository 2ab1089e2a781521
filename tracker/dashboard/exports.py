"""The committee report as CSV and as an Excel workbook: the same sections, the same rows.

All three are built from one list of sections (``sections(report)``): the CSV writes each
as a title line, a header line, its rows and a blank line (one file, for people who use it);
the zip holds one CSV per section (header, then rows: each opens as a table); the workbook
writes each to a sheet of its own (header, then rows). Shares are numbers, the whole
percent, in columns whose names say "(%)"; empty where there is no share (0/0). Cells a spreadsheet would run as a formula (text starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) are neutralised with a leading
apostrophe, in both (``tracker.recommendations.csv_io.neutralise``: the importer's rule).
Characters XML 1.0 forbids (a stray control character) are left out of the workbook
(``tracker.characters.for_xml``): the CSV keeps the text as stored.
Nothing in either depends on when it was made: a report as at a past date downloads byte
for byte the same CSV whenever it is asked for.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tracker import characters, progress
from tracker.dashboard import impact
from tracker.dashboard.figures import PhaseRow, WeeklySeries
from tracker.dashboard.late import LateLine
from tracker.dashboard.report import DecisionSection, Report
from tracker.recommendations.csv_io import neutralise  # the one rule for every export
from tracker.vocab import ADOPTION_STATUS_LABELS

Cell = str | int | dt.date | None


@dataclass(frozen=True)
class Section:
    title: str
    sheet: str          # at most 31 characters, none of []:*?/\
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def _share(share: Any) -> int | None:
    """A share as a number, the whole percent (67 for 2/3; the column's name says "%"), left
    empty where there is no share (0/0, shown "–" on the pages)."""
    return progress.share_percent(share)


def sections(report: Report) -> list[Section]:
    decisions = report.decisions
    return [
        Section("Committee progress report", "Report",
                ("Report", "As at"),
                (("Committee progress report: recommendations, actions and guidance adoption "
                  "as recorded by the end of the day, Europe/London", report.as_at),)),
        Section("Decisions", "Decisions", (
            "Decision reference", "Decision", "Decision maker", "Date of decision",
            "Exemption", "Status", "Recommendations counted", "Not accepted",
            "Actions complete", "Actions counted", "Share of actions complete (%)",
            "Overdue actions"),
            tuple((d.reference, d.title, d.decision_maker, d.decided_on, d.exemption_words,
                   d.tag[1], d.total.recommendations, d.total.not_accepted,
                   d.total.complete_actions, d.total.counted_actions, _share(d.total.share),
                   d.total.overdue_actions) for d in decisions)),
        Section("Decision parts", "Parts", (
            "Decision reference", "Part", "Kind", "Text", "Status", "Recommendations counted",
            "Actions complete", "Actions counted", "Share of actions complete (%)",
            "Guidance adoption"),
            tuple(row for d in decisions for row in _parts(d))),
        Section("Recommendations", "Recommendations", (
            "Decision reference", "Part", "Recommendation", "Source", "Text", "Status",
            "Actions complete", "Actions counted", "Share of actions complete (%)",
            "Overdue actions", "Owner", "Due", "Latest update on", "Latest update"),
            tuple(row for d in decisions for row in _recommendations(d))),
        Section("Actions", "Actions", (
            "Decision reference", "Recommendation", "Action", "Owner", "Original due date",
            "Current due date", "Action status", "RAG", "Overdue", "Latest update on"),
            tuple(row for d in decisions for row in _actions(d))),
        Section("Executive response to the scrutiny committee's recommendations",
                "Executive responses", (
                    "Decision reference", "Recommendation", "Committee", "Text", "Response",
                    "Response text", "Reason", "Cabinet member", "Lead officer", "Timetable",
                    "Response due", "Status"),
                tuple((d.reference, r.reference, r.committee, r.text, r.response_words,
                       r.response_text, r.reason, r.cabinet_member, r.lead_officer,
                       r.timetable, r.response_due_on, r.tag[1])
                      for d in decisions for r in d.responses)),
        Section("Recommendation status by source", "Status by source", (
            "Decision reference", "Source", "Status", "Recommendations"),
            tuple((d.reference, words, status.words, d.charts.status.count(source, status.key))
                  for d in decisions for source, words in d.charts.status.sources
                  for status in d.charts.status.statuses)),
        Section("Share of actions complete by week", "Actions by week",
                _weekly_header("Actions complete", "Actions counted"),
                tuple(row for d in decisions for row in _weekly(d, d.charts.progress))),
        Section("Guidance adoption by week", "Adoption by week",
                _weekly_header("Schools adopted", "Schools in scope and open", "Guidance"),
                tuple(row for d in decisions for g in d.charts.guidance
                      for row in _weekly(d, g.weekly, g.title))),
        Section("Guidance adoption by phase", "Adoption by phase", (
            "Decision reference", "Guidance", "Phase", "Schools in scope and open",
            *[ADOPTION_STATUS_LABELS[s] for s in progress.ADOPTION_STATUSES],
            "Schools adopted", "Share adopted (%)"),
            tuple(row for d in decisions for row in _phases(d))),
        Section("Overdue actions by owner", "Overdue by owner",
                ("Decision reference", "Owner", "Overdue actions"),
                tuple((d.reference, o.name, o.overdue) for d in decisions
                      for o in d.charts.overdue)),
    ] + impact.sections(report) + late_sections(decisions) + [
        Section("Actions by agency", "By agency",
                ("Decision reference", "Agency", "Actions counted", "Actions complete",
                 "Share of actions complete (%)", "Overdue actions"),
                tuple((d.reference, a.name, a.total, a.complete, _share(a.share), a.overdue)
                      for d in decisions for a in d.charts.agencies)),
    ]


def late_sections(decisions: Sequence[DecisionSection]) -> list[Section]:
    """What is late (``tracker.dashboard.late``): every late action on its own row, most days
    late first, and the ageing figures at the end of each month."""
    bands = [progress.AGE_BAND_LABELS[band].lower() for band in progress.AGE_BANDS]
    return [
        Section("Late actions", "Late actions", LATE_HEADER,
                tuple(late_row(line) for d in decisions for line in d.late)),
        Section("Ageing by month", "Ageing by month", (
            "Decision reference", "As at", *[f"Actions open {b}" for b in bands],
            *[f"Recommendations open {b}" for b in bands], "Actions complete",
            "Average days to complete", "Completed by the original due date",
            "Share completed by the original due date (%)"),
            tuple((d.reference, p.as_at, *[p.actions_by_band[b] for b in progress.AGE_BANDS],
                   *[p.recommendations_by_band[b] for b in progress.AGE_BANDS],
                   p.complete_actions, progress.format_days(p.average_days_to_complete),
                   p.complete_by_original_due, _share(p.share_by_original_due))
                  for d in decisions for p in d.charts.ageing.points)),
    ]


LATE_HEADER = ("Decision reference", "Recommendation", "Action", "Owner", "Service",
               "Original due date", "Revised due date", "Days late", "Latest update on",
               "Latest update", "RAG reason")


def late_row(line: LateLine) -> tuple[Cell, ...]:
    return (line.decision_reference, line.recommendation_reference, line.action_title,
            line.owner, line.service, line.original_due_on,
            line.current_due_on if line.revised else None, line.days_late,
            line.latest_update_on, line.latest_update, line.rag_reason)


def _parts(d: DecisionSection) -> Iterator[tuple[Cell, ...]]:
    for part in d.parts:
        adoption = "; ".join(g.words for g in part.guidance)
        yield (d.reference, part.label, part.kind_words, part.text,
               part.tag[1] if part.tag else "", part.total.recommendations,
               part.total.complete_actions, part.total.counted_actions,
               _share(part.total.share), adoption)


def _recommendations(d: DecisionSection) -> Iterator[tuple[Cell, ...]]:
    for part in d.parts:
        for line in part.recommendations:
            s, update = line.state, line.latest_update
            yield (d.reference, part.label, line.reference, line.source_words, line.text,
                   line.tag[1], s.complete_actions, s.counted_actions, _share(s.share),
                   s.overdue_actions, line.owner, line.due_on,
                   update.recorded_on if update else None, update.narrative if update else "")


def _actions(d: DecisionSection) -> Iterator[tuple[Cell, ...]]:
    for part in d.parts:
        for line in part.recommendations:
            for a in line.actions:
                yield (d.reference, line.reference, a.title, a.owner, a.original_due_on,
                       a.current_due_on, a.status_words, a.tag[1], _yes(a.overdue),
                       a.latest_update.recorded_on if a.latest_update else None)


def _weekly_header(numerator: str, denominator: str, *what: str) -> tuple[str, ...]:
    return ("Decision reference", *what, "Week ending", numerator, denominator, "Share (%)")


def _weekly(d: DecisionSection, series: WeeklySeries, *what: str) -> Iterator[tuple[Cell, ...]]:
    for p in series.points:
        yield (d.reference, *what, p.week_ending, p.numerator, p.denominator, _share(p.share))


def _phases(d: DecisionSection) -> Iterator[tuple[Cell, ...]]:
    for g in d.charts.guidance:
        rows: list[PhaseRow] = list(g.phases.rows)
        for row in rows + [PhaseRow("All phases", g.phases.total)]:
            f = row.figure
            yield (d.reference, g.title, row.phase, f.in_scope_open,
                   *[f.by_status[s] for s in progress.ADOPTION_STATUSES], f.adopted,
                   _share(f.share))


# --- writing ----------------------------------------------------------------------------------
def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(value)


def to_csv(report: Report) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for section in sections(report):
        writer.writerow([section.title])
        writer.writerow(section.header)
        writer.writerows([_text(cell) for cell in row] for row in section.rows)
        writer.writerow([])
    return out.getvalue().encode("utf-8-sig")


def to_zip(report: Report, folder: str) -> bytes:
    """The same sections, one CSV each (UTF-8 with a byte-order mark, a header line, then
    the rows), in a zip whose files sit in ``folder`` and are numbered in the report's
    order: ``01-committee-progress-report.csv``, ``02-decisions.csv``, ... Every file is
    dated the report's day, so the same report gives the same zip byte for byte."""
    import zipfile

    out = io.BytesIO()
    stamp = (report.as_at.year, report.as_at.month, report.as_at.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, section in enumerate(sections(report), 1):
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(section.header)
            writer.writerows([_text(cell) for cell in row] for row in section.rows)
            slug = "".join(c if c.isalnum() else "-" for c in section.sheet.lower())
            archive.writestr(_dated(f"{folder}/{n:02d}-{slug}.csv", stamp),
                             text.getvalue().encode("utf-8-sig"))
    return out.getvalue()


def _dated(name: str, stamp: tuple[int, int, int, int, int, int]) -> Any:
    """A zip entry dated ``stamp`` (not the moment it is written)."""
    import zipfile

    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def to_excel(report: Report) -> bytes:
    """One sheet per section: a bold header row, then the rows. Numbers are numbers, dates
    are dates, text is text (neutralised as in the CSV). Written in openpyxl's write-only
    mode: one pass, whatever the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for section in sections(report):
        sheet = book.create_sheet(section.sheet)
        sheet.freeze_panes = "A2"
        header = []
        for title in section.header:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in section.rows:
            sheet.append([_excel_cell(sheet, value) for value in row])
    # Fixed workbook properties: the same report gives the same workbook contents.
    book.properties.creator = "Safeguarding Recommendations Tracker"
    stamp = dt.datetime.combine(report.as_at, dt.time(0))
    book.properties.created = stamp
    book.properties.modified = stamp
    out = io.BytesIO()
    book.save(out)
    return steady(out.getvalue(), stamp)


def steady(workbook: bytes, stamp: dt.datetime) -> bytes:
    """An Office file (a zip of parts) with what its writer dates as it saves (each part's
    zip entry; openpyxl also sets the "modified" property to now) dated ``stamp``: the same
    report gives the same file byte for byte whenever it is built (a stored report equals a
    fresh one)."""
    import re
    import zipfile

    out = io.BytesIO()
    when = (stamp.year, stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(workbook)) as saved, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in saved.namelist():
            data = saved.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*",
                              rb"\g<1>" + f"{stamp:%Y-%m-%dT%H:%M:%SZ}".encode(), data)
            archive.writestr(_dated(name, when), data)
    return out.getvalue()


def _excel_cell(sheet: Any, value: Cell) -> Any:
    if isinstance(value, dt.date):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return _excel(value)


def _excel(value: Cell) -> Any:
    if isinstance(value, str):  # a cell is XML: what XML 1.0 forbids is left out
        return neutralise(characters.for_xml(value))
    return value
