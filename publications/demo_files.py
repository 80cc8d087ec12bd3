"""Small stand-in files for the demo's publications: real PDFs (a page of text each) and CSV, made here, the same
bytes every time, so the demo needs nothing downloaded and a second run stores nothing new."""

import textwrap

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
LINE_CHARS = 80
LINES_PER_PAGE = 46


def _escape(text):
    ascii_text = text.replace("’", "'").replace("‘", "'").replace("–", "-").encode("ascii", "replace").decode()
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content_stream(lines):
    commands = ["BT", "/F1 11 Tf", "14 TL", f"56 {PAGE_HEIGHT - 72} Td"]
    for line in lines:
        commands.append(f"({_escape(line)}) Tj T*")
    commands.append("ET")
    return "\n".join(commands).encode("ascii")


def demo_pdf(title, paragraphs, *, pages):
    """A PDF of `pages` A4 pages: the title and paragraphs on the first, then numbered pages (PDF 1.4, Helvetica)."""
    first = [title, ""]
    for paragraph in paragraphs:
        first += textwrap.wrap(paragraph, LINE_CHARS) + [""]
    page_lines = [first[:LINES_PER_PAGE]]
    blank = "This page is left blank in the demo copy."
    page_lines += [[title, "", f"Page {n} of {pages}. {blank}"] for n in range(2, pages + 1)]

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in page_lines:
        stream = _content_stream(lines)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT, content_number)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_csv(rows):
    """CSV text (UTF-8, CRLF line ends as RFC 4180 asks) from rows of plain values."""

    def cell(value):
        value = str(value)
        return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\n') else value

    return "".join(",".join(cell(v) for v in row) + "\r\n" for row in rows).encode("utf-8")
