"""PDF documents of the annual reports: the report itself and the receipt (WeasyPrint)."""
from reports.pdf.maps import location_map_png
from reports.pdf.render import ReceiptFacts, render_receipt_pdf, render_report_pdf

__all__ = ["ReceiptFacts", "location_map_png", "render_receipt_pdf", "render_report_pdf"]
