"""Posted reviews read from what owners can export: Google Business Profile JSON, any
spreadsheet's CSV, or typed by hand. Every reader yields the same ImportedReview records and a
reason for every row it could not read; nothing here touches the database."""

from .records import FileRefused, ImportedReview, MAX_IMPORT_BYTES, ReadResult, RowProblem
from .gbp import read_gbp
from .table import FIELDS, ColumnMapping, guess_mapping, read_csv, read_table

__all__ = [
    "FIELDS", "MAX_IMPORT_BYTES", "ColumnMapping", "FileRefused", "ImportedReview", "ReadResult",
    "RowProblem", "guess_mapping", "read_csv", "read_gbp", "read_table",
]
