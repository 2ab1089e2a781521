"""The committee report as a Word paper (python-docx), in the shape councils attach to an
agenda item: a cover (council, committee, meeting, "as at" date), a summary (with implemented
and impact evidenced counted apart), the late list, each part's table of recommendations, the
executive response table and guidance adoption by phase; then the charts as images where the
server can draw them (``tracker.chart_images``), the tables always.

Every table is cut from the same sections as the CSV and the workbook
(``tracker.dashboard.exports.sections``), its cells written as the CSV writes them, so the
paper holds the same figures as the CSV for the same date. Header rows repeat on each page
(``w:tblHeader``); the page has margins, the council's name and the "as at" and printed dates
in its header and footer, and page numbers (a PAGE field). Characters XML 1.0 forbids are
left out (``tracker.characters.for_xml``).
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tracker import characters
from tracker.dashboard import exports
from tracker.dashboard.report import Report


@dataclass(frozen=True)
class Cover:
    council: str
    committee: str          # "" when no update round names the meeting
    meeting_on: dt.date | None
    printed_on: dt.date


@dataclass(frozen=True)
class Image:
    title: str
    png: bytes


def _words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _clean(text: str) -> str:
    return characters.for_xml(text)


def _cell_text(value: exports.Cell) -> str:
    """As the CSV writes the cell (neutralised the same way), less what XML forbids."""
    return _clean(exports._text(value))  # noqa: SLF001  # the one cell format of the exports


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    properties = row._tr.get_or_add_trPr()  # noqa: SLF001
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document, header: Sequence[str], rows: Iterable[Sequence[exports.Cell]]) -> None:  # type: ignore[no-untyped-def]
    rows = list(rows)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    first = table.rows[0]
    _repeat_header(first)
    for cell, title in zip(first.cells, header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(_clean(title))
        run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = _cell_text(value)
    document.add_paragraph()


def _field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)  # noqa: SLF001


def _page(document, report: Report, cover: Cover) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    header = section.header.paragraphs[0]
    header.text = _clean(f"{cover.council} \u2014 Committee progress report as at "
                         f"{_words(report.as_at)}")
    footer = section.footer.paragraphs[0]
    footer.add_run(f"As at {_words(report.as_at)}. Printed {_words(cover.printed_on)}. Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)


def _section(report: Report, title: str) -> exports.Section:
    return next(s for s in exports.sections(report) if s.title == title)


def _columns(section: exports.Section, names: Sequence[str]
             ) -> tuple[tuple[str, ...], list[tuple[exports.Cell, ...]]]:
    index = [section.header.index(name) for name in names]
    return tuple(names), [tuple(row[i] for i in index) for row in section.rows]


PART_COLUMNS = ("Recommendation", "Source", "Text", "Status", "Actions complete",
                "Actions counted", "Share of actions complete (%)", "Overdue actions", "Owner",
                "Due", "Latest update on", "Latest update")
RESPONSE_COLUMNS = ("Recommendation", "Committee", "Text", "Response", "Reason",
                    "Cabinet member", "Lead officer", "Timetable", "Status")


def to_word(report: Report, cover: Cover, images: Sequence[Image] = ()) -> bytes:
    document = Document()
    _page(document, report, cover)
    document.add_paragraph(_clean(cover.council))
    document.add_heading("Committee progress report", level=0)
    facts = [("Committee", cover.committee or "Not named in the tracker"),
             ("Meeting", _words(cover.meeting_on) if cover.meeting_on else
              "Not recorded in the tracker"),
             ("As at", f"{_words(report.as_at)}: as recorded in the tracker by the end of the "
                       "day (UK time)"),
             ("Decisions", "; ".join(d.reference or d.title for d in report.decisions)
              or "None entered by then")]
    for label, text in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(_clean(text))
    document.add_page_break()

    document.add_heading("Summary", level=1)
    summary = _section(report, "Decisions")
    _table(document, summary.header, summary.rows)
    closing = _section(report, "Implemented and impact evidenced")
    document.add_paragraph("Implemented and impact evidenced, counted apart, with every other "
                           f"way recommendations closed, as at {_words(report.as_at)}:")
    _table(document, closing.header, closing.rows)
    ageing = _section(report, "Ageing by month")
    latest = {}
    for row in ageing.rows:
        latest[row[0]] = row
    if latest:
        document.add_paragraph("Open actions and recommendations by age, and how long "
                               f"complete actions took, as at {_words(report.as_at)}:")
        _table(document, ageing.header, latest.values())

    document.add_heading("Late actions", level=1)
    late = _section(report, "Late actions")
    if late.rows:
        document.add_paragraph("Every action open past its due date, the most days late "
                               "first, each with its own latest update and RAG reason.")
        _table(document, late.header, late.rows)
    else:
        document.add_paragraph(f"No action was late as at {_words(report.as_at)}.")

    recs = _section(report, "Recommendations")
    header, rows = _columns(recs, ("Decision reference", "Part", *PART_COLUMNS))
    for d in report.decisions:
        document.add_heading(_clean(f"{d.title} ({d.reference})" if d.reference else d.title),
                             level=1)
        for part in d.parts:
            mine = [row[2:] for row in rows if row[0] == d.reference and row[1] == part.label]
            document.add_heading(_clean(f"Part ({part.label}): {part.kind_words}"), level=2)
            document.add_paragraph(_clean(part.text))
            if mine:
                _table(document, header[2:], mine)
            elif not part.guidance:
                document.add_paragraph("No recommendations had been recorded under this part.")

    responses = _section(report, "Executive response to the scrutiny committee's "
                                 "recommendations")
    if responses.rows:
        document.add_heading("Executive response to the scrutiny committee's "
                             "recommendations", level=1)
        header, rows = _columns(responses, ("Decision reference", *RESPONSE_COLUMNS))
        _table(document, header, rows)

    phases = _section(report, "Guidance adoption by phase")
    if phases.rows:
        document.add_heading("Guidance adoption by phase", level=1)
        _table(document, phases.header, phases.rows)

    if images:
        document.add_heading("Charts", level=1)
        document.add_paragraph("Each chart shows figures given in a table above.")
        for image in images:
            document.add_heading(_clean(image.title), level=2)
            document.add_picture(io.BytesIO(image.png), width=Cm(24))

    # Fixed properties: the same report gives the same document contents.
    properties = document.core_properties
    properties.author = "Safeguarding Recommendations Tracker"
    properties.title = f"Committee progress report as at {report.as_at:%Y-%m-%d}"
    stamp = dt.datetime.combine(report.as_at, dt.time(0))
    properties.created = properties.modified = stamp
    properties.last_modified_by = properties.author
    out = io.BytesIO()
    document.save(out)
    return exports.steady(out.getvalue(), stamp)
