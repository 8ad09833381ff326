"""One way to split a long list into pages whose links keep the list's filters."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items, *, per_page: int) -> tuple[Page, str]:
    """The page of ``items`` asked for by ``?page=`` (the first for nonsense, the last past the end), and the
    request's querystring without ``page``, for ``includes/pagination.html`` to keep the filters in its links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
