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
