"""Make PDF, web page and Word versions of a notice's text, as councils publish them.

Used by the tests only (reportlab for PDF, python-docx for Word, plain markup for HTML):
each line of the text becomes one line of the document, blank lines separate paragraphs,
and a line with tabs becomes a table row, so each version holds the same words.
"""
from __future__ import annotations

import html
import io


def _paragraphs(text: str) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def as_pdf(text: str) -> bytes:
    """A PDF with a text layer: one drawn line per line of text, a gap for a blank line."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4))
    page.setFont("Helvetica", 8)
    top = y = landscape(A4)[1] - 30
    for line in text.split("\n"):
        if y < 30:
            page.showPage()
            page.setFont("Helvetica", 8)
            y = top
        if line.strip():
            page.drawString(20, y, " ".join(line.split()))
        y -= 10
    page.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A PDF with no text layer, as a scanner makes: only shapes on the page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for row in range(40):
        page.rect(40, 780 - row * 18, 400 - (row * 7) % 120, 8, fill=1, stroke=0)
    page.save()
    return buffer.getvalue()


def as_html(text: str) -> bytes:
    """A saved web page: head, script and style (all dropped on reading), a <p> per paragraph."""
    body = []
    for paragraph in _paragraphs(text):
        if any("\t" in line for line in paragraph):  # the form's table
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t"))
                           + "</tr>" for line in paragraph)
            body.append(f"<table>{rows}</table>")
        else:
            body.append("<p>" + "<br>\n".join(html.escape(line) for line in paragraph) + "</p>")
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Decision details</title>"
            "<style>p { margin: 0 }</style><script>var x = 'Decision Maker: Nobody';</script>"
            "</head><body><nav></nav><main>" + "\n".join(body) + "</main></body></html>")
    return page.encode("utf-8")


def as_docx(text: str) -> bytes:
    """A Word document: a paragraph per line, an empty paragraph for a blank line; a line
    with tabs is a row of a two-column table, as the written statement form is."""
    from docx import Document

    document = Document()
    for line in text.split("\n"):
        cells = [" ".join(c.split()) for c in line.split("\t")]
        if "\t" in line and line[:1] not in " \t":
            row = document.add_table(rows=1, cols=len(cells)).rows[0]
            for cell, value in zip(row.cells, cells):
                cell.text = value
        else:
            document.add_paragraph(" ".join(line.split()) if line.strip() else "")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
