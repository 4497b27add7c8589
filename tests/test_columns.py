"""The columns a user means (cli/_columns.py): dates as numbers, free text left out,
wide columns named, --drop, a hint for a numeric target with many values."""

import numpy as np
import pytest

from sk_backprop.cli import main
from sk_backprop.cli._read import TableError
from sk_backprop.cli._table import read_features, read_table

pd = pytest.importorskip("pandas")
pytest.importorskip("skops")


def weather(n=400, seed=0):
    """A season in the dates: rain in the winter months."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2012-01-01", periods=n, freq="D")
    winter = dates.month.isin([11, 12, 1, 2, 3])
    return pd.DataFrame(
        {
            "date": dates.strftime("%Y-%m-%d"),
            "wind": rng.normal(3, 1, n).round(2),
            "note": [f"observer remark {i} {rng.integers(1e6)}" for i in range(n)],
            "station": [f"S{i % 150:03d}" for i in range(n)],
            "weather": np.where(winter ^ (rng.random(n) < 0.1), "rain", "sun"),
        }
    )


def test_dates_become_numbers_and_free_text_is_dropped(tmp_path):
    weather().to_csv(tmp_path / "weather.csv", index=False)
    with pytest.warns(UserWarning) as record:
        table = read_table(tmp_path / "weather.csv", "weather")
    messages = " ".join(str(w.message) for w in record)
    assert "dates in 'date' became the numbers date_year, date_month, date_weekday" in messages
    assert "dropped column 'note': a different string in every row" in messages
    assert "'station' has 150 distinct values: one-hot encoding adds 150 columns" in messages
    assert list(table.X.columns) == ["date_year", "date_month", "date_weekday", "wind", "station"]
    assert table.X["date_month"].tolist()[:3] == [1.0, 1.0, 1.0]
    assert table.X["date_weekday"].iloc[0] == 6.0  # 2012-01-01 was a Sunday
    assert table.kinds()["numeric"] == ["date_year", "date_month", "date_weekday", "wind"]


@pytest.mark.parametrize("form", ["%Y/%m/%d", "%Y-%m-%d %H:%M"])
def test_dates_written_year_first_with_slashes_or_a_time_are_dates(tmp_path, form):
    frame = weather(60)
    frame["date"] = pd.to_datetime(frame["date"]).dt.strftime(form)
    frame.to_csv(tmp_path / "w.csv", index=False)
    with pytest.warns(UserWarning):
        table = read_table(tmp_path / "w.csv", "weather")
    assert table.X["date_year"].tolist()[:2] == [2012.0, 2012.0]


def test_day_first_dates_are_ambiguous_and_stay_text(tmp_path):
    frame = weather(60)
    frame["date"] = pd.to_datetime(frame["date"]).dt.strftime("%d/%m/%Y")
    frame.to_csv(tmp_path / "w.csv", index=False)
    with pytest.warns(UserWarning):
        table = read_table(tmp_path / "w.csv", "weather")
    assert "date_year" not in table.X.columns


def test_mostly_distinct_text_is_dropped_with_its_count(tmp_path):
    frame = weather(100)
    frame["title"] = [f"film {i % 80}" for i in range(100)]  # 80 distinct in 100 rows
    frame.to_csv(tmp_path / "t.csv", index=False)
    with pytest.warns(UserWarning) as record:
        table = read_table(tmp_path / "t.csv", "weather")
    assert "title" not in table.X.columns
    assert any("text with 80 distinct values in 100 rows" in str(w.message) for w in record)


def test_a_model_fitted_on_dates_predicts_from_the_date_column(tmp_path, capsys):
    frame = weather()
    frame.to_csv(tmp_path / "weather.csv", index=False)
    frame.drop(columns="weather").iloc[:5].to_csv(tmp_path / "new.csv", index=False)
    code = main(
        ["--csv", str(tmp_path / "weather.csv"), "--target", "weather", "--folds", "2",
         "--models", "ours,majority", "--drop", "station", "--save", str(tmp_path / "m.skops")]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert "dropped column 'station': --drop" in out
    assert "dates in 'date' became the numbers" in out
    code = main(["--model", str(tmp_path / "m.skops"), "--predict", str(tmp_path / "new.csv")])
    answers = capsys.readouterr().out
    assert code == 0, answers
    assert answers.splitlines()[0].startswith("row,prediction,proba_rain,proba_sun")
    X, _, _ = read_features(
        tmp_path / "new.csv", ["date_year", "date_month", "date_weekday", "wind"], ["wind"]
    )
    assert X["date_month"].tolist() == [1.0] * 5


@pytest.mark.parametrize(
    "drop, message",
    [("height", "--drop 'height': no such column in"), ("weather", "--drop 'weather': that is")],
)
def test_drop_names_a_column_that_is_not_there_or_is_the_target(tmp_path, drop, message):
    weather(50).to_csv(tmp_path / "t.csv", index=False)
    with pytest.raises(TableError, match=message):
        read_table(tmp_path / "t.csv", "weather", drop=[drop])


def test_a_numeric_target_with_many_values_gets_a_hint(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=300), "age": rng.integers(18, 71, 300)})
    frame.to_csv(tmp_path / "ages.csv", index=False)
    with pytest.warns(UserWarning, match="the target 'age' is numeric with 53 distinct values"):
        read_table(tmp_path / "ages.csv", "age")
