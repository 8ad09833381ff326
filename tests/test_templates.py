"""Template source rules the HTML checker cannot see."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_comment_spans_lines_so_none_shows_on_a_page():
    """Django's ``{# #}`` comment ends at the line's end: spread over lines, it is printed as text on the page
    (use ``{% comment %}`` for a longer one)."""
    open_comments = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.*"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert open_comments == [], f"template comments left open at the end of the line: {open_comments}"
