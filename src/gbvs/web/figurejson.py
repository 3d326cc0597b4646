"""The API's JSON answers write a float as the CSV and Excel exports write it."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from gbvs.numbers import figures_without_noise


class FigureJSONResponse(JSONResponse):
    """A JSON answer whose floats are written without the noise of float arithmetic (0.82, not
    0.8200000000000001; :func:`gbvs.numbers.without_noise`), so a row reads the same in the JSON, the
    CSV and the Excel file of one query."""

    def render(self, content: Any) -> bytes:
        return super().render(figures_without_noise(content))
