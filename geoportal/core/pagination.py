"""Pagination shared by every list endpoint: ?page=&page_size= with a hard maximum."""
from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500  # larger pages are capped, not refused
