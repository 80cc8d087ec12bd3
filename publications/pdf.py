"""How many pages a PDF has, without a PDF library: enough for "PDF, 2.1 MB, 120 pages", which editors can correct.

The page tree's root says how many pages hang below it (/Type /Pages ... /Count N): the largest such count is the
document's. Since PDF 1.5 those objects may sit inside compressed object streams, which are inflated here within
fixed caps (a hostile PDF costs no more than a few MB of memory). A file that hides its count gets None, and the
page then shows no page count, never a wrong one.
"""

import re
import zlib

MAX_INFLATED_BYTES = 8 * 1024 * 1024  # all object streams of one file together
MAX_OBJECT_STREAMS = 2000

# A dictionary with no dictionary inside it (page tree nodes are flat), that says /Type /Pages.
_PAGES_DICT = re.compile(rb"<<(?:(?!<<|>>).){0,4000}?/Type\s*/Pages\b(?:(?!<<|>>).){0,4000}?>>", re.DOTALL)
_COUNT = re.compile(rb"/Count\s+(\d{1,7})\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
_STREAM_START = re.compile(rb"stream\r?\n")


def _counts(data):
    """(largest /Count of a /Pages node, number of /Page objects) in these bytes."""
    largest = None
    for match in _PAGES_DICT.finditer(data):
        count = _COUNT.search(match.group(0))
        if count:
            largest = max(largest or 0, int(count.group(1)))
    return largest, len(_PAGE.findall(data))


def _object_streams(data):
    """The inflated bytes of each FlateDecode object stream, within the caps."""
    budget = MAX_INFLATED_BYTES
    for number, match in enumerate(_OBJECT_STREAM.finditer(data)):
        if number >= MAX_OBJECT_STREAMS or budget <= 0:
            return
        start = _STREAM_START.search(data, match.end(), match.end() + 2000)
        if start is None or b"/FlateDecode" not in data[match.start() - 1000 : start.start()]:
            continue
        end = data.find(b"endstream", start.end())
        if end < 0:
            continue
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[start.end() : end], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated


def count_pages(fileobj):
    """The number of pages of the PDF in this open binary file, or None if it cannot be told."""
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    if not data.startswith(b"%PDF-"):
        return None
    largest, pages = _counts(data)
    for inflated in _object_streams(data):
        stream_largest, stream_pages = _counts(inflated)
        if stream_largest is not None:
            largest = max(largest or 0, stream_largest)
        pages += stream_pages
    if largest:
        return largest
    return pages or None
