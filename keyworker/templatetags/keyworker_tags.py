"""Small template filters for the key person pages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from learning_stories.assessments.tracker import Tracker

register = template.Library()


@register.filter
def initials(name: str) -> str:
    """'Priya Shah' -> 'PS': a placeholder where a photo is not set."""
    parts = name.split()
    return "".join(part[0] for part in (parts[:1] + parts[1:][-1:])).upper()


NOT_ASSESSED = mark_safe(
    '<td class="text-body-secondary"><span aria-hidden="true">\u2013</span>'
    '<span class="visually-hidden">not assessed</span></td>'
)


@register.simple_tag
def tracker_rows(grid: Tracker) -> str:
    """The tracker grid's body: a row per child, a cell per area. Built here rather than with template tags
    because a whole nursery is some 1,400 cells, and the template language costs tens of microseconds a cell;
    the few different cells are built once each, and the link's address once for every child."""
    cells: dict = {None: NOT_ASSESSED}
    marker = 2_147_483_647  # an id no child has, replaced by each child's
    link = reverse("stories:assessments", args=[marker]).replace(str(marker), "{}")
    rows = []
    for row in grid.rows:
        for cell in row.cells:
            if cell not in cells:
                css = "cell-on-track" if cell.on_track else "cell-not-on-track"
                cells[cell] = format_html('<td class="{}">{}</td>', css, cell.label)
        rows.append(
            format_html(
                '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a></th>{}</tr>',
                link.format(row.child.pk),
                row.child.display_name,
                mark_safe("".join(cells[cell] for cell in row.cells)),  # each cell escaped when built
            )
        )
    return mark_safe("\n".join(rows))
