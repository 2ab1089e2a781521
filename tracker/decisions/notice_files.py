"""A notice file as it comes: plain text, a saved web page, a PDF or a Word document.

``text_from_file(data, filename)`` gives a :class:`~tracker.decisions.notice.DecodedText`:
the text to read, or a one-line error for the user. By the file's content first (a PDF
starts ``%PDF``, a Word document is a zip with ``word/document.xml``), then its name:

* ``.txt``: :func:`~tracker.decisions.notice.decode_notice` (UTF-8, else Windows-1252);
* ``.html`` / ``.htm``: a page saved from the browser; scripts, styles and the ``<head>``
  are dropped, block elements (``p``, ``div``, ``li``, ``h1`` ...) end a line, ``<p>`` and
  headings leave a blank line, table cells are separated by a tab (so a two-column table
  reads as ``Label<TAB>value``), character references are decoded;
* ``.pdf``: the text layer, page by page, with pypdf in layout mode (which keeps blank lines
  between paragraphs). A PDF with no text (a scan) is refused, saying so; so is one locked
  with a password;
* ``.docx``: paragraphs and tables in document order (python-docx); table cells separated by
  a tab, a merged cell once;
* an old ``.doc`` is refused with the advice to save it as ``.docx`` or PDF.

Files up to :data:`MAX_FILE_BYTES` are accepted; the text taken from them must still be
under the notice limit. Parsers of PDF and Word files are third-party code reading
untrusted bytes: any error they raise is reported as "could not be read", never a crash.
"""
from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

from tracker.decisions.notice import MAX_NOTICE_BYTES, DecodedText, decode_notice

MAX_FILE_BYTES = 10_000_000
ACCEPTED = ".txt, .html, .htm, .pdf or .docx"
NO_TEXT_LAYER = ("This PDF has no text in it (it is probably a scanned image), so it cannot be "
                 "read: ask for the published text or web page of the notice, or a PDF with text")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt fieldset figcaption figure footer form "
    "header hr li main nav ol section table tbody thead tfoot tr ul caption".split()
)
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 pre".split())
_SKIPPED_TAGS = frozenset("script style head noscript template svg".split())
_CELL_TAGS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]{2,20})""", re.IGNORECASE)


def text_from_file(data: bytes, filename: str | None) -> DecodedText:
    """The text of an uploaded or named notice file (see the module docstring)."""
    name = (filename or "").lower()
    if len(data) > MAX_FILE_BYTES:
        return DecodedText(error="The file is larger than 10 MB, which is too big for a "
                                 "decision notice")
    if not data.strip():
        return DecodedText(error="The file is empty")
    if data.startswith(b"%PDF"):
        return _checked(_pdf_text(data))
    if data.startswith(b"PK\x03\x04"):
        if name.endswith(".docx") or _is_docx(data):
            return _checked(_docx_text(data))
        return DecodedText(error=f"This file is a zip archive, not a notice: choose a {ACCEPTED} "
                                 "file")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return DecodedText(error="This is an old Word .doc file: save it as .docx or PDF and "
                                 "choose that")
    if name.endswith((".html", ".htm")):
        return _checked(_html_text(data))
    if name.endswith((".pdf", ".docx")):
        return DecodedText(error=f"This file is not really a {name.rsplit('.', 1)[1].upper()} "
                                 "file: it may be damaged")
    if name.endswith(".txt"):
        return decode_notice(data)
    return DecodedText(error=f"The selected file must be a {ACCEPTED} file")


def _checked(result: DecodedText) -> DecodedText:
    """Apply the limits of a text notice to text taken from another kind of file."""
    if result.error or result.text is None:
        return result
    text = result.text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        return DecodedText(error="No text was found in the file")
    if len(text.encode("utf-8", errors="replace")) > MAX_NOTICE_BYTES:
        return DecodedText(error="The text of the file is larger than 1 MB, which is too big "
                                 "for a decision notice")
    return DecodedText(text=text, warnings=result.warnings)


# --- PDF ----------------------------------------------------------------------------------

def _pdf_text(data: bytes) -> DecodedText:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return DecodedText(error="This PDF is locked with a password: save an unlocked "
                                     "copy and choose that")
        pages = []
        for page in reader.pages:
            try:
                pages.append(page.extract_text(extraction_mode="layout"))
            except (ValueError, KeyError, IndexError, TypeError, ZeroDivisionError):
                pages.append(page.extract_text())
    except Exception:  # noqa: BLE001 - third-party parser on untrusted bytes: never a crash
        return DecodedText(error="This PDF could not be read: it may be damaged")
    text = "\n".join(_rstrip_lines(page) for page in pages)
    if not text.strip():
        return DecodedText(error=NO_TEXT_LAYER)
    return DecodedText(text=text)


def _rstrip_lines(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))


# --- Word -----------------------------------------------------------------------------------

def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _docx_text(data: bytes) -> DecodedText:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        text = " ".join(cell.text.split())
                        if not cells or text != cells[-1]:  # a merged cell repeats its text
                            cells.append(text)
                    lines.append("\t".join(cells))
    except Exception:  # noqa: BLE001 - third-party parser on untrusted bytes: never a crash
        return DecodedText(error="This Word document could not be read: it may be damaged")
    return DecodedText(text="\n".join(lines))


# --- HTML -----------------------------------------------------------------------------------

class _PageText(HTMLParser):
    """Collect the visible text of a page, one line per block, cells separated by tabs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in _PARAGRAPH_TAGS:
            self.out.append("\n\n")
        elif tag in _BLOCK_TAGS:
            self.out.append("\n")
        elif tag in _CELL_TAGS:
            self.out.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _PARAGRAPH_TAGS:
            self.out.append("\n\n")
        elif tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(_SPACES.sub(" ", data))

    def text(self) -> str:
        lines = []
        for line in "".join(self.out).split("\n"):
            cells = [" ".join(cell.split()) for cell in line.split("\t")]
            while cells and not cells[0]:  # a row starts with a tab before its first cell
                cells.pop(0)
            lines.append("\t".join(cells).rstrip(" "))  # "Label<TAB>" keeps its tab
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _html_text(data: bytes) -> DecodedText:
    charset = _META_CHARSET.search(data[:4096])
    encoding = charset.group(1).decode("ascii").lower() if charset else "utf-8"
    try:
        markup = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        decoded = decode_notice(data)
        if decoded.text is None:
            return decoded
        markup = decoded.text
    parser = _PageText()
    parser.feed(markup.lstrip("\ufeff"))
    parser.close()
    return DecodedText(text=parser.text())
