"""Reading a user's table (cli/_read.py): compressed, Parquet by its content,
standard input, FIFOs; columns never shifted; NA kept as a label of a text target."""

import bz2
import gzip
import lzma
import os
import subprocess
import sys
import threading
import zipfile

import numpy as np
import pytest

from sk_backprop.cli._read import TableError, TableFile
from sk_backprop.cli._table import read_table

pd = pytest.importorskip("pandas")

CSV = "length,width,kind\n1.5,0.2,a\n2.5,0.4,b\n3.5,0.1,a\n4.5,0.3,b\n"
EXPECTED = pd.DataFrame(
    {"length": [1.5, 2.5, 3.5, 4.5], "width": [0.2, 0.4, 0.1, 0.3], "kind": list("abab")}
)


def zipped(data):
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("table.csv", data)
    return buffer.getvalue()


COMPRESSORS = {
    "gz": gzip.compress,
    "bz2": bz2.compress,
    "xz": lzma.compress,
    "zip": zipped,
}


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
@pytest.mark.parametrize("separator", [",", "\t", ";"])
def test_a_compressed_table_reads_as_the_plain_one(tmp_path, suffix, separator):
    path = tmp_path / f"table.csv.{suffix}"
    path.write_bytes(COMPRESSORS[suffix](CSV.replace(",", separator).encode()))
    table = TableFile(path)
    assert (table.compression, table.separator) == (
        {"gz": "gzip"}.get(suffix, suffix),
        separator,
    )
    pd.testing.assert_frame_equal(table.frame(), EXPECTED)


def test_the_content_decides_not_the_name(tmp_path):
    misnamed = tmp_path / "table.parquet"  # text, named as Parquet
    misnamed.write_text(CSV)
    pd.testing.assert_frame_equal(TableFile(misnamed).frame(), EXPECTED)
    hidden = tmp_path / "table.txt"  # gzip, named as text
    hidden.write_bytes(gzip.compress(CSV.encode()))
    pd.testing.assert_frame_equal(TableFile(hidden).frame(), EXPECTED)


def test_parquet_reads_and_a_truncated_parquet_file_is_named(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "table.data"
    EXPECTED.to_parquet(path)
    pd.testing.assert_frame_equal(TableFile(path).frame(), EXPECTED)
    truncated = tmp_path / "cut.parquet"
    truncated.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(TableError, match="starts as a Parquet file but does not end as one"):
        TableFile(truncated).frame()
    damaged = tmp_path / "damaged.parquet"
    data = bytearray(path.read_bytes())
    data[8:200] = b"\x00" * 192
    damaged.write_bytes(bytes(data))
    with pytest.raises(TableError, match="is not a readable Parquet file"):
        TableFile(damaged).frame()


@pytest.mark.parametrize(
    "data, message",
    [
        (zipped(CSV)[:40], "damaged zip file"),
        (gzip.compress(CSV.encode(), mtime=0)[:15], "damaged gzip file"),
    ],
    ids=["zip", "gzip"],
)
def test_a_damaged_archive_is_named(tmp_path, data, message):
    path = tmp_path / "t.csv.gz"
    path.write_bytes(data)
    with pytest.raises(TableError, match=message):
        TableFile(path).frame()


def test_a_zip_of_two_files_is_refused(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", CSV)
        archive.writestr("b.csv", CSV)
    with pytest.raises(TableError, match="is a zip of 2 files; it must hold one table"):
        TableFile(path)


def test_a_fifo_is_read_once(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)

    def writer():
        with open(fifo, "w") as stream:
            stream.write(CSV)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    pd.testing.assert_frame_equal(TableFile(fifo).frame(), EXPECTED)
    thread.join(timeout=10)


def test_standard_input_is_a_table(tmp_path):
    """``--csv -``: the command line reads the table from standard input."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=60)
    table = pd.DataFrame({"x": x, "z": rng.normal(size=60), "label": np.where(x > 0, "y", "n")})
    result = subprocess.run(
        [sys.executable, "-m", "sk_backprop", "--csv", "-", "--target", "label",
         "--folds", "2", "--models", "majority,logistic"],
        input=table.to_csv(index=False), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Table -: 60 rows, target 'label'" in result.stdout
    assert "LogisticRegression" in result.stdout


def test_a_separator_at_the_end_of_every_row_shifts_nothing(tmp_path):
    path = tmp_path / "trailing.csv"
    path.write_text("length,width,kind\n" + "".join(line + ",\n" for line in CSV.split("\n")[1:-1]))
    pd.testing.assert_frame_equal(TableFile(path).frame(), EXPECTED)


@pytest.mark.parametrize(
    "body, line",
    [
        ("1.5,0.2,a\n2.5,0.4,b,7\n3.5,0.1,a\n", 3),  # one row longer
        ("1.5,0.2,a,7\n2.5,0.4,b,8\n", 2),  # every row longer: pandas would drop a column
    ],
)
def test_a_row_longer_than_the_header_is_refused_naming_its_line(tmp_path, body, line):
    path = tmp_path / "long.csv"
    path.write_text("length,width,kind\n" + body)
    with pytest.raises(TableError, match=f"line {line} has 4 values and the header 3"):
        TableFile(path).frame()


def test_na_is_a_class_of_a_text_target_and_missing_in_a_numeric_one(tmp_path):
    regions = ["EU", "NA", "AS", "NA", "EU", "AS"] * 5 + ["", "nan"]
    frame = pd.DataFrame({"x": np.arange(32.0), "region": regions})
    frame.to_csv(tmp_path / "regions.csv", index=False)
    with pytest.warns(UserWarning) as record:
        table = read_table(tmp_path / "regions.csv", "region")
    messages = " ".join(str(w.message) for w in record)
    assert "kept 'NA' in 'region' (10 rows) as class labels" in messages
    assert "dropped 2 rows: no value in 'region'" in messages
    assert sorted(set(table.y)) == ["AS", "EU", "NA"]  # '' and 'nan' stay missing: dropped
    assert len(table.y) == 30
    numbers = pd.DataFrame({"x": np.arange(32.0), "grade": ["1", "2", "NA", "3"] * 8})
    numbers.to_csv(tmp_path / "grades.csv", index=False)
    with pytest.warns(UserWarning, match="8 rows: no value in 'grade'"):
        table = read_table(tmp_path / "grades.csv", "grade")
    assert sorted(set(table.y)) == ["1.0", "2.0", "3.0"]
