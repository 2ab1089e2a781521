"""The committee report as CSV and as an Excel workbook: the same sections, the same rows.

Both are built from one list of sections (``sections(report)``): the CSV writes each as a
title line, a header line, its rows and a blank line; the workbook writes each to a sheet of
its own (header, then rows). Cells a spreadsheet would run as a formula (text starting with
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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tracker import characters, progress
from tracker.dashboard.figures import PhaseRow, WeeklySeries
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


def _share(share: Any) -> str:
    return progress.format_share(share)


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
            "Actions complete", "Actions counted", "Share of actions complete",
            "Overdue actions"),
            tuple((d.reference, d.title, d.decision_maker, d.decided_on, d.exemption_words,
                   d.tag[1], d.total.recommendations, d.total.not_accepted,
                   d.total.complete_actions, d.total.counted_actions, _share(d.total.share),
                   d.total.overdue_actions) for d in decisions)),
        Section("Decision parts", "Parts", (
            "Decision reference", "Part", "Kind", "Text", "Status", "Recommendations counted",
            "Actions complete", "Actions counted", "Share of actions complete",
            "Guidance adoption"),
            tuple(row for d in decisions for row in _parts(d))),
        Section("Recommendations", "Recommendations", (
            "Decision reference", "Part", "Recommendation", "Source", "Text", "Status",
            "Actions complete", "Actions counted", "Share of actions complete",
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
            "Schools adopted", "Share adopted"),
            tuple(row for d in decisions for row in _phases(d))),
        Section("Overdue actions by owner", "Overdue by owner",
                ("Decision reference", "Owner", "Overdue actions"),
                tuple((d.reference, o.name, o.overdue) for d in decisions
                      for o in d.charts.overdue)),
        Section("Actions by agency", "By agency",
                ("Decision reference", "Agency", "Actions counted", "Actions complete",
                 "Share of actions complete", "Overdue actions"),
                tuple((d.reference, a.name, a.total, a.complete, a.share_words, a.overdue)
                      for d in decisions for a in d.charts.agencies)),
    ]


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
                   line.tag[1], s.complete_actions, s.counted_actions, line.share_words,
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
    return ("Decision reference", *what, "Week ending", numerator, denominator, "Share")


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
