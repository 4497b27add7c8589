"""Reading a user's table: whatever file it is, its columns where its header says.

``TableFile(path)`` looks at the file's first bytes, not its name: Parquet
(``PAR1``), or delimited text, plain or compressed (gzip, bz2, xz, zip: the
separator is found from the first decompressed lines). ``-`` is standard input and
a FIFO or other stream is read once into memory (the separator is found and the
table parsed from those bytes; reading a stream twice would drain it or wait for
a second writer). Rows are never shifted: no column is ever taken as an index
(a separator at the end of every row but the header is an empty last field,
ignored), and a row with more values than the header is refused, naming its line.
"""

import bz2
import csv
import gzip
import io
import lzma
import os
import stat
import sys
import warnings
import zipfile

PARQUET_MAGIC = b"PAR1"
COMPRESSIONS = {b"\x1f\x8b": "gzip", b"BZh": "bz2", b"\xfd7zXZ\x00": "xz", b"PK\x03\x04": "zip"}
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
SNIFF_BYTES = 64 * 1024
FORMATS = (
    "CSV or other delimited text (the separator - comma, semicolon, tab or '|' - is "
    "found from the first lines), plain or compressed (gzip, bz2, xz, zip), or Parquet "
    "(needs pyarrow); - reads standard input"
)


class TableError(ValueError):
    """A table the command line cannot use; the message names the column and the fix."""


def pandas():
    try:
        import pandas as pd
    except ImportError:
        raise TableError(
            "reading a table needs pandas, an optional dependency: from a clone of "
            'sk_backprop, pip install ".[cli]"'
        ) from None
    return pd


class TableFile:
    """The table at ``path`` (``-``: standard input), looked at once: its format,
    compression and separator; ``frame()`` reads it, ``column_as_text(i)`` reads
    its ``i``-th column again as strings, only empty cells missing."""

    def __init__(self, path):
        self.path = str(path)
        self.data = None  # the bytes of a stream, read once
        try:
            if self.path == "-":
                self.data = sys.stdin.buffer.read()
            elif not stat.S_ISREG(os.stat(self.path).st_mode):
                if stat.S_ISDIR(os.stat(self.path).st_mode):
                    raise TableError(f"{self.path} is a folder, not a table")
                with open(self.path, "rb") as stream:  # a FIFO, /dev/stdin, ...
                    self.data = stream.read()
            head = self.data[:8] if self.data is not None else self._head_bytes()
        except FileNotFoundError:
            raise TableError(f"{self.path}: no such file") from None
        except PermissionError:
            raise TableError(f"{self.path}: permission denied") from None
        self.parquet = head.startswith(PARQUET_MAGIC)
        self.compression = next((c for m, c in COMPRESSIONS.items() if head.startswith(m)), None)
        self.separator = None if self.parquet else self._sniff_separator()

    def _head_bytes(self):
        with open(self.path, "rb") as file:
            return file.read(8)

    def _source(self):
        return io.BytesIO(self.data) if self.data is not None else self.path

    def _text_head(self, limit=SNIFF_BYTES):
        """The first ``limit`` decompressed bytes (-1: all) as text."""
        source = self._source()
        try:
            if self.compression == "zip":
                with zipfile.ZipFile(source) as archive:
                    names = [n for n in archive.namelist() if not n.endswith("/")]
                    if len(names) != 1:
                        raise TableError(
                            f"{self.path} is a zip of {len(names)} files; it must hold one table"
                        )
                    with archive.open(names[0]) as member:
                        raw = member.read(limit)
            elif self.compression is None and self.data is not None:
                raw = self.data if limit < 0 else self.data[:limit]
            else:
                opener = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}.get(
                    self.compression, open
                )
                with opener(source, "rb") as file:
                    raw = file.read(limit)
        except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as error:
            raise TableError(f"{self.path} is a damaged {self.compression} file: {error}") from None
        return raw.decode("utf-8", errors="replace")

    def _sniff_separator(self):
        """The separator, from the first lines (comma when unsure)."""
        head = self._text_head()
        lines = head.splitlines()[:20] if "\n" in head else [head]
        if len(head) >= SNIFF_BYTES and len(lines) > 1:
            lines = lines[:-1]  # the last line read may be cut
        try:
            return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(SEPARATORS)).delimiter
        except csv.Error:  # one column, or no consistent separator: count them in the header
            header = lines[0] if lines else ""
            counts = {sep: header.count(sep) for sep in SEPARATORS}
            best = max(counts, key=counts.get)
            return best if counts[best] else ","

    def frame(self):
        """The whole table as a DataFrame."""
        pd = pandas()
        if self.parquet:
            return self._parquet(pd)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)  # data would be lost
                return self._csv(pd)
        except (pd.errors.ParserError, pd.errors.ParserWarning):
            raise self._long_row_error() from None
        except pd.errors.EmptyDataError as error:
            raise TableError(f"{self.path} is not a readable table: {error}") from None
        except (UnicodeDecodeError, OSError, EOFError, ValueError, zipfile.BadZipFile) as error:
            raise TableError(f"{self.path} is not a readable table: {error}") from None

    def _csv(self, pd, **options):
        return pd.read_csv(
            self._source(),
            sep=self.separator,
            compression=self.compression,
            index_col=False,  # never a column as the index: no shifted columns
            **options,
        )

    def column_as_text(self, position):
        """The ``position``-th column again, as strings, with only empty cells missing
        (pandas reads ``NA``, ``None``, ``null`` ... as missing by default)."""
        pd = pandas()
        return self._csv(
            pd, usecols=[position], dtype=str, keep_default_na=False, na_values=[""]
        ).iloc[:, 0]

    def _parquet(self, pd):
        data = self.data
        if data is None:
            with open(self.path, "rb") as file:
                file.seek(max(os.path.getsize(self.path) - 4, 0))
                tail = file.read()
        else:
            tail = data[-4:]
        if tail != PARQUET_MAGIC:
            raise TableError(
                f"{self.path} starts as a Parquet file but does not end as one: it is "
                "truncated or damaged"
            )
        try:
            return pd.read_parquet(self._source())
        except ImportError as error:
            raise TableError(
                f"{self.path} is a Parquet file, and reading Parquet needs pyarrow: "
                f"pip install pyarrow ({error})"
            ) from None
        except Exception as error:  # pyarrow's errors are its own classes
            raise TableError(f"{self.path} is not a readable Parquet file: {error}") from None

    def _long_row_error(self):
        """The first line with more values than the header, named."""
        text = self._text_head(limit=-1)
        rows = csv.reader(io.StringIO(text), delimiter=self.separator)
        header = next(rows, [])
        for row in rows:
            if len(row) > len(header) and any(value.strip() for value in row[len(header) :]):
                return TableError(
                    f"{self.path}: line {rows.line_num} has {len(row)} values and the header "
                    f"{len(header)}: its columns would be shifted or lost. Fix that line "
                    "(a missing header name, or a separator inside an unquoted value?)"
                )
        return TableError(f"{self.path}: some rows have more values than the header")
