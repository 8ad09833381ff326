"""Join PDFs into one, page after page, holding only one source file's objects at a time.

pypdf's ``PdfWriter`` keeps every page of every source in memory until it writes, so a story book with
1,000 photos would hold every picture at once. Here the objects each source's pages use are renumbered
and written out as they are read, then the source is let go: only the byte offsets (for the
cross-reference table) and the page numbers stay. Outlines and metadata of the sources are not kept.

Why not a library: pypdf's writer and pikepdf (qpdf) both keep every page until they save. Measured
with benchmarks/leaver_pack.py, pikepdf's peak grew from +57 MiB (300 entries, 1,000 photos) to
+87 MiB (600, 2,000); this joiner stayed at +35 and +40 MiB.
"""

import gc
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

PAGES_ID, CATALOG_ID = 1, 2
PARENT = NameObject("/Parent")


def join_pdfs(paths: Iterable[Path], out: BinaryIO) -> int:
    """Write the pages of ``paths``, in order, as one PDF into ``out``; returns the number of pages."""
    joiner = _Joiner(out)
    for path in paths:
        joiner.add(PdfReader(path))
        gc.collect()  # a reader and its objects point at each other: free them before the next one
    return joiner.finish()


class _Joiner:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.start = out.tell()
        self.offsets: list[int] = []  # offsets[n - 1] is where object n starts
        self.kids: list[int] = []
        self.next_id = CATALOG_ID + 1
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def write(self, number: int, obj: PdfObject | bytes) -> None:
        self.offsets.extend([0] * (number - len(self.offsets)))
        self.offsets[number - 1] = self.out.tell() - self.start
        self.out.write(f"{number} 0 obj\n".encode())
        self.out.write(obj) if isinstance(obj, bytes) else obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def add(self, reader: PdfReader) -> None:
        """Copy one source's pages and everything they use, each object written as soon as it is read."""
        # Pages as pypdf flattens them: attributes inherited from the page tree are copied onto each page.
        pages = {page.indirect_reference.idnum: page for page in reader.pages}
        numbers: dict[int, int] = {}
        pending: list[int] = []

        def renumber(obj: PdfObject) -> PdfObject:
            if isinstance(obj, IndirectObject):
                if obj.pdf is None:  # renumbered already (pypdf shares inherited values between pages)
                    return obj
                if obj.idnum not in numbers:
                    numbers[obj.idnum], self.next_id = self.next_id, self.next_id + 1
                    pending.append(obj.idnum)
                return IndirectObject(numbers[obj.idnum], 0, None)
            if isinstance(obj, DictionaryObject):  # dict's own methods: pypdf's would resolve references
                for key, value in list(dict.items(obj)):
                    dict.__setitem__(obj, key, renumber(value))
            elif isinstance(obj, ArrayObject):
                for index, value in enumerate(list(list.__iter__(obj))):
                    list.__setitem__(obj, index, renumber(value))
            return obj

        self.kids += [renumber(IndirectObject(idnum, 0, reader)).idnum for idnum in pages]
        while pending:
            idnum = pending.pop()
            obj = pages.get(idnum) or reader.get_object(idnum)
            if idnum in pages:  # hang the page on the joined page tree instead of its own
                dict.pop(obj, PARENT, None)
            obj = renumber(obj)
            if idnum in pages:
                dict.__setitem__(obj, PARENT, IndirectObject(PAGES_ID, 0, None))
            self.write(numbers[idnum], obj)

    def finish(self) -> int:
        kids = " ".join(f"{kid} 0 R" for kid in self.kids)
        self.write(PAGES_ID, f"<< /Type /Pages /Kids [{kids}] /Count {len(self.kids)} >>".encode())
        self.write(CATALOG_ID, f"<< /Type /Catalog /Pages {PAGES_ID} 0 R >>".encode())
        xref = self.out.tell() - self.start
        size = len(self.offsets) + 1
        self.out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        self.out.writelines(f"{offset:010d} 00000 n \n".encode() for offset in self.offsets)
        self.out.write(f"trailer\n<< /Size {size} /Root {CATALOG_ID} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
        return len(self.kids)
