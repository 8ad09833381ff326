"""Joining PDFs page after page: every page in order, strictly readable, inherited page settings kept."""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from core.pdf import html_to_pdf
from transitions.leaver_pack.pdfjoin import join_pdfs

MEDIABOX = NameObject("/MediaBox")


def test_joined_pdf_has_every_page_in_order_and_reads_strictly(tmp_path):
    paths = []
    for n in range(3):
        path = tmp_path / f"{n}.pdf"
        pages = "".join(f'<p style="break-before: page">Part {n} page {p}</p>' for p in range(n + 1))
        path.write_bytes(html_to_pdf(f"<html><body>{pages}</body></html>"))
        paths.append(path)
    out = io.BytesIO()

    count = join_pdfs(paths, out)

    reader = PdfReader(io.BytesIO(out.getvalue()), strict=True)
    texts = [page.extract_text().strip() for page in reader.pages]
    assert count == len(reader.pages) == 6
    assert texts == [f"Part {n} page {p}" for n in range(3) for p in range(n + 1)]


def test_pages_keep_what_they_inherit_from_their_page_tree(tmp_path):
    source = PdfWriter()
    for _ in range(2):
        source.add_blank_page(width=200, height=300)
    size = source.pages[0][MEDIABOX]
    for page in source.pages:  # the page size moves up to the page tree, as some writers have it
        del page[MEDIABOX]
    source._root_object["/Pages"].get_object()[MEDIABOX] = size
    path = tmp_path / "inherited.pdf"
    with path.open("wb") as file:
        source.write(file)
    out = io.BytesIO()

    join_pdfs([path, path], out)

    reader = PdfReader(io.BytesIO(out.getvalue()), strict=True)
    assert [(page.mediabox.width, page.mediabox.height) for page in reader.pages] == [(200, 300)] * 4
