"""Pagination shared by every list endpoint: ?page=&page_size= with a hard maximum."""
from rest_framework.pagination import PageNumberPagination


def query_string_without_page(request) -> str:
    """The list's filters as a query string, for links to other pages of the same list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class PortalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500  # larger pages are capped, not refused
