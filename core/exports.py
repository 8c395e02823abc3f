"""Every CSV and XLSX the service writes: staff exports, the press pack, the
import template. Each cell goes through safe_cell, so nothing anyone typed
runs as a formula in a spreadsheet.

CSV rows are written as they are read, so memory stays flat for any size.
XLSX uses openpyxl's write-only mode (one row in memory), built in a temporary
file on disk and streamed from there.

write_table writes the same file to a handle, for an export built in the
background (core.export_jobs): the file downloaded later is the one the
request would have sent.
"""

import csv
import io
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Text starting with = + - @ would run as a formula in a spreadsheet."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def safe_row(row) -> list:
    return [safe_cell(value) for value in row]


def write_csv(handle, header, rows) -> None:
    """Writes a CSV to a text handle (a file, a ZIP member), a row at a time."""
    writer = csv.writer(handle)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))


class _Echo:
    def write(self, value):
        return value


def csv_response(header, rows, filename):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(safe_row(header))
        for row in rows:
            yield writer.writerow(safe_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _write_xlsx(handle, header, rows, sheet_name="Export") -> int:
    """Writes the workbook to a binary handle; returns the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    sheet.append(safe_row(header))
    count = 0
    for row in rows:
        sheet.append(safe_row(row))
        count += 1
    workbook.save(handle)
    return count


def xlsx_response(header, rows, filename, sheet_name="Export"):
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    _write_xlsx(handle, header, rows, sheet_name)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)


def table_response(header, rows, filename, fmt):
    if fmt == "xlsx":
        return xlsx_response(header, rows, filename)
    return csv_response(header, rows, filename)


def write_table(handle, header, rows, fmt) -> int:
    """Writes to a binary handle the file table_response sends (for CSV, the
    same bytes, byte order mark included); returns the number of rows."""
    if fmt == "xlsx":
        return _write_xlsx(handle, header, rows)
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(safe_row(header))
    count = 0
    for row in rows:
        writer.writerow(safe_row(row))
        count += 1
    text.flush()
    text.detach()  # the handle stays open for its owner
    return count
