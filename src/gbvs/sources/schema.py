"""Typing and checking parsed frames against a :class:`TableSchema` (pure: no I/O).

``cast_frame`` turns text (or loosely typed) columns into the declared types and refuses values
that do not fit; ``check_frame`` then checks ranges, allowed values, nulls, key uniqueness and size.
Every error names the file, the column, the offending value and what to do.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa

from gbvs.countries import gw_state_problem
from gbvs.errors import SchemaMismatchError, Term, said
from gbvs.sources.base import Column, TableSchema

ARROW_TYPES: dict[str, pa.DataType] = {
    "int": pa.int64(),
    "float": pa.float64(),
    "str": pa.string(),
    "date": pa.date32(),
    "bool": pa.bool_(),
}
TRUE_WORDS = frozenset({"true", "t", "1", "yes"})
FALSE_WORDS = frozenset({"false", "f", "0", "no"})
EXPECTED_TYPES = {
    "int": Term("whole numbers"),
    "float": Term("numbers"),
    "date": Term("dates as yyyy-mm-dd"),
    "bool": Term("true/false"),
}
"""What a column of each type must hold, as a message names it."""
RESTORE_HINT = Term("restore the original file (see `gbvs sources` for its URL and checksum)")


def lower_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names in lower case, as the store keeps them."""
    return frame.rename(columns={name: str(name).lower() for name in frame.columns})


def require_columns(frame: pd.DataFrame, schema: TableSchema, where: str) -> None:
    """Refuse a frame that lacks declared columns, naming the missing ones and what was found."""
    missing = [name for name in schema.required if name not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns[:12])) + (" ..." if len(frame.columns) > 12 else "")
        raise SchemaMismatchError(
            said(
                "%(file)s: table %(table)s expects column(s) %(missing)s but they are missing; found: "
                "%(found)s; the producer may have changed the format, or %(fix)s",
                file=where,
                table=repr(schema.name),
                missing=", ".join(missing),
                found=found,
                fix=RESTORE_HINT,
            )
        )


def cast_frame(frame: pd.DataFrame, schema: TableSchema, where: str) -> pd.DataFrame:
    """Return ``frame`` (lower-case columns) with every declared column cast to its type."""
    frame = lower_columns(frame)
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        raise SchemaMismatchError(
            said(
                "%(file)s: column %(column)s appears twice (names are compared in lower case); %(fix)s",
                file=where,
                column=repr(duplicated[0]),
                fix=RESTORE_HINT,
            )
        )
    require_columns(frame, schema, where)
    out = {}
    for name in frame.columns:
        column = schema.column(name)
        if column is not None:
            out[name] = _cast(frame[name], column, where)
        elif schema.keep_undeclared:
            out[name] = _as_text(frame[name])
    return pd.DataFrame(out, index=range(len(frame)))


def arrow_schema(frame: pd.DataFrame, schema: TableSchema) -> pa.Schema:
    """The Arrow schema to store ``frame`` with: declared types, text for the rest."""
    fields = []
    for name in frame.columns:
        column = schema.column(name)
        fields.append(pa.field(name, ARROW_TYPES[column.type] if column else pa.string()))
    return pa.schema(fields)


def to_arrow(frame: pd.DataFrame, schema: TableSchema) -> pa.Table:
    """Convert a cast frame to an Arrow table with the declared types."""
    arrays = [
        _arrow_array(frame[name], field.type)
        for name, field in zip(frame.columns, arrow_schema(frame, schema), strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=arrow_schema(frame, schema))


def _arrow_array(series: pd.Series, kind: pa.DataType) -> pa.Array:
    if pa.types.is_date32(kind):
        values = [None if pd.isna(v) else v for v in series.tolist()]
        return pa.array(values, type=kind)
    return pa.array(series.astype(object).where(series.notna(), None).tolist(), type=kind)


def check_frame(frame: pd.DataFrame, schema: TableSchema, where: str) -> None:
    """Check sizes, nulls, ranges, allowed values and key uniqueness; raise on the first problem."""
    if len(frame) < schema.min_rows:
        raise SchemaMismatchError(
            said(
                "%(file)s: table %(table)s has %(rows)s rows, expected at least %(least)s; the file looks "
                "truncated: %(fix)s",
                file=where,
                table=repr(schema.name),
                rows=len(frame),
                least=schema.min_rows,
                fix=RESTORE_HINT,
            )
        )
    for column in schema.columns:
        if column.name in frame.columns:
            _check_column(frame[column.name], column, where)
            if column.codes is not None:
                _check_country_codes(frame, column, schema.year_column, where)
    if schema.key:
        _check_key(frame, schema, where)


def _check_column(series: pd.Series, column: Column, where: str) -> None:
    values = series.dropna()
    if not column.nullable and len(values) < len(series):
        row = int(series.isna().to_numpy().argmax())
        raise SchemaMismatchError(
            said(
                "%(file)s: column %(column)s is empty in data row %(row)s; it must always have a value; "
                "%(fix)s",
                file=where,
                column=repr(column.name),
                row=row + 1,
                fix=RESTORE_HINT,
            )
        )
    bad = pd.Series(False, index=values.index)
    if column.min is not None:
        bad |= values < column.min
    if column.max is not None:
        bad |= values > column.max
    if column.allowed is not None:
        bad |= ~values.isin(list(column.allowed))
    if bad.any():
        first = _plain(values[bad].iloc[0])
        kind, bounds = _describe_range(column)
        raise SchemaMismatchError(
            said(
                "%(file)s: column %(column)s holds %(value)s (%(count)s such value(s)), outside %(kind)s "
                "%(bounds)s; %(fix)s",
                file=where,
                column=repr(column.name),
                value=repr(first),
                count=int(bad.sum()),
                kind=kind,
                bounds=bounds,
                fix=RESTORE_HINT,
            )
        )


def _check_country_codes(frame: pd.DataFrame, column: Column, year_column: str, where: str) -> None:
    """Refuse a Gleditsch-Ward code that names no state (in the row's year), per gbvs.countries."""
    cells = _code_cells(frame[column.name].reset_index(drop=True), column, where)
    years = frame[year_column] if year_column in frame.columns else None
    cells["year"] = None if years is None else years.reset_index(drop=True).reindex(cells.index).to_numpy()
    for row, code, year in cells.drop_duplicates(["code", "year"]).itertuples():
        problem = gw_state_problem(code, None if pd.isna(year) else int(year), column.codes or "gw")
        if problem is not None:
            raise SchemaMismatchError(
                said(
                    "%(file)s: column %(column)s holds %(code)s in data row %(row)s%(when)s, %(count)s "
                    "row(s) "
                    "with this code: %(problem)s; correct the code, or %(fix)s. If the code is right, "
                    "gbvs.countries must learn it: add the state to src/gbvs/countries/gleditsch_ward.yaml",
                    file=where,
                    column=repr(column.name),
                    code=repr(code),
                    row=row + 1,
                    when="" if pd.isna(year) else f" ({year_column} {int(year)})",
                    count=int((cells["code"] == code).sum()),
                    problem=problem,
                    fix=RESTORE_HINT,
                )
            )


def _code_cells(series: pd.Series, column: Column, where: str) -> pd.DataFrame:
    """One row per code (a text cell may list several, "645, 652"), indexed by the data row."""
    values = series.dropna()
    if column.type == "str":
        values = values.astype("string").str.split(",").explode().str.strip()
        values = values[values.notna() & (values != "")]
    text = values.astype("string")
    numeric = pd.to_numeric(text, errors="coerce")
    bad = numeric.isna() | (numeric % 1 != 0)
    if bad.any():
        raise SchemaMismatchError(
            said(
                "%(file)s: column %(column)s must hold Gleditsch-Ward codes (whole numbers, several "
                "separated "
                "by commas), found %(value)s in data row %(row)s; %(fix)s",
                file=where,
                column=repr(column.name),
                value=repr(text[bad].iloc[0]),
                row=int(text[bad].index[0]) + 1,
                fix=RESTORE_HINT,
            )
        )
    return pd.DataFrame({"code": numeric.astype(int)})


def _plain(value: object) -> object:
    """A numpy scalar as the plain Python value (for readable messages)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _describe_range(column: Column) -> tuple[Term, str]:
    """What a column may hold, as a message's catalogue term and the bounds: ("the declared range",
    "[0, 2]") or ("the declared values", "{a, b}")."""
    if column.allowed is not None:
        return Term("the declared values"), "{" + ", ".join(sorted(map(str, column.allowed))) + "}"
    low = "-inf" if column.min is None else column.min
    high = "inf" if column.max is None else column.max
    return Term("the declared range"), f"[{low}, {high}]"


def _check_key(frame: pd.DataFrame, schema: TableSchema, where: str) -> None:
    key = list(schema.key)
    if frame[key].isna().any().any():
        raise SchemaMismatchError(
            said(
                "%(file)s: key column(s) %(key)s of table %(table)s have empty values; %(fix)s",
                file=where,
                key=", ".join(key),
                table=repr(schema.name),
                fix=RESTORE_HINT,
            )
        )
    dupes = frame[frame.duplicated(key, keep=False)]
    if len(dupes):
        example = ", ".join(f"{k}={_plain(dupes.iloc[0][k])}" for k in key)
        raise SchemaMismatchError(
            said(
                "%(file)s: key (%(key)s) of table %(table)s is not unique: %(count)s rows share a key, e.g. "
                "%(example)s; %(fix)s",
                file=where,
                key=", ".join(key),
                table=repr(schema.name),
                count=len(dupes),
                example=example,
                fix=RESTORE_HINT,
            )
        )


def _as_text(series: pd.Series) -> pd.Series:
    text = series.astype("string")
    return text.mask(text.str.len() == 0)


def _cast(series: pd.Series, column: Column, where: str) -> pd.Series:
    if column.type == "str":
        return _as_text(series)
    if column.type == "bool":
        return _cast_bool(series, column, where)
    if column.type == "date":
        return _cast_date(series, column, where)
    return _cast_number(series, column, where)


def _blank(series: pd.Series) -> pd.Series:
    text = series.astype("string").str.strip()
    return series.isna() | (text == "") | text.isin(["NA", "NaN", "nan", "NULL"])


def _cast_number(series: pd.Series, column: Column, where: str) -> pd.Series:
    blank = _blank(series)
    numbers = pd.to_numeric(series.where(~blank), errors="coerce")
    failed = numbers.isna() & ~blank
    if column.type == "int":
        failed |= numbers.notna() & (numbers % 1 != 0)
    if failed.any():
        _type_error(series, failed, column, where)
    return numbers.astype("Int64" if column.type == "int" else "Float64")


def _cast_date(series: pd.Series, column: Column, where: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series) or _holds_dates(series):
        series = pd.to_datetime(series).dt.strftime("%Y-%m-%d").astype("string")
    blank = _blank(series)
    dates = pd.to_datetime(series.where(~blank).astype("string"), format="ISO8601", errors="coerce")
    failed = dates.isna() & ~blank
    if failed.any():
        _type_error(series, failed, column, where)
    return pd.Series([d.date() if pd.notna(d) else None for d in dates], index=series.index, dtype=object)


def _holds_dates(series: pd.Series) -> bool:
    values = series.dropna()
    return series.dtype == object and len(values) > 0 and isinstance(values.iloc[0], date)


def _cast_bool(series: pd.Series, column: Column, where: str) -> pd.Series:
    blank = _blank(series)
    words = series.astype("string").str.strip().str.lower()
    failed = ~blank & ~words.isin(TRUE_WORDS | FALSE_WORDS)
    if failed.any():
        _type_error(series, failed, column, where)
    return words.isin(TRUE_WORDS).astype("boolean").mask(blank)


def _type_error(series: pd.Series, failed: pd.Series, column: Column, where: str) -> None:
    row = int(failed.to_numpy().argmax())
    raise SchemaMismatchError(
        said(
            "%(file)s: column %(column)s must hold %(expected)s, found %(value)s in data row %(row)s "
            "(%(count)s such value(s)); the file may have been re-saved by a spreadsheet program or the "
            "format changed: %(fix)s",
            file=where,
            column=repr(column.name),
            expected=EXPECTED_TYPES[column.type],
            value=repr(series.iloc[row]),
            row=row + 1,
            count=int(failed.sum()),
            fix=RESTORE_HINT,
        )
    )
