"""Exports the committee opens in a spreadsheet (participants, reports): one way to write them."""

import csv

from django.http import StreamingHttpResponse
from wagtail.admin.views.mixins import Echo

# Excel set to French (Canada) splits columns on semicolons, not commas.
CSV_DELIMITER = ";"


def spreadsheet_safe(value):
    """Text someone typed (a comment, a name) must not run as a formula when the file opens in
    a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class FrenchExcelCSVMixin:
    """For a view with Wagtail's SpreadsheetExportMixin: its CSV with a BOM (Excel then reads
    the accents as UTF-8), semicolons and a charset."""

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=CSV_DELIMITER)
        yield "\ufeff".encode()
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in writer.fieldnames}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))
