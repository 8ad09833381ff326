"""Sections that apps above this one add to a child's page.

The child's page is where the key person, the learning story and transitions meet, but this app
must not import them. They register a panel here when they load (in ``AppConfig.ready``) and the
page renders each one in order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from .models import Child


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[HttpRequest, Child], dict]
    order: int = 50


_panels: list[Panel] = []


def register(panel: Panel) -> None:
    """Add a panel; registering the same template again replaces it (ready() may run twice)."""
    _panels[:] = [p for p in _panels if p.template != panel.template] + [panel]
    _panels.sort(key=lambda p: p.order)


def panels_for(request: HttpRequest, child: Child) -> list[tuple[str, dict]]:
    """Each registered panel's template with its context for this child and viewer."""
    return [(panel.template, panel.context(request, child)) for panel in _panels]


# Pages about a room's day that apps above this one add beside the register and the care log
# (e.g. end-of-session feedback): (label, URL name taking the room's pk).
_room_tabs: list[tuple[str, str]] = [("Register", "children:room_register"), ("Care log", "children:room_care")]


def register_room_tab(label: str, url_name: str) -> None:
    if (label, url_name) not in _room_tabs:
        _room_tabs.append((label, url_name))


def room_tabs() -> list[tuple[str, str]]:
    return list(_room_tabs)
