"""Pandas arrays built the way a DataFrame would infer them, without paying for the inference."""

from __future__ import annotations

_TEXT_DTYPE: list = []


def text_array(values: list):
    """An object column as the frame will hold it. Text with gaps (None) becomes pandas' str array
    here, as a DataFrame would infer it, for a third of the cost of its inference (the most of
    building a town's 40-row frame); anything else stays an object array for the frame to infer."""
    import pandas as pd

    if not _TEXT_DTYPE:  # what a DataFrame infers for text: str (pandas 3), or object
        _TEXT_DTYPE.append(pd.DataFrame({"x": pd.array(["a", None], dtype=object)})["x"].dtype)
    text = False
    for v in values:
        if type(v) is str:
            text = True
        elif v is not None:
            text = False
            break
    return pd.array(values, dtype=_TEXT_DTYPE[0] if text else object)
