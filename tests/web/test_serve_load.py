"""bench/serve_load.py's code, small: the real `bqw serve` (uvicorn) on 127.0.0.1, 5 clients at once each
checking and submitting its own 10-row ledger. Nothing is refused or lost: no errors, the archive's records
are the rows submitted, one current submission per client. No timing is asserted (bench/README.md has the
50-client numbers)."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import serve_load  # noqa: E402


def test_five_clients_check_and_submit_at_once_and_nothing_is_lost(tmp_path):
    result = serve_load.run_load(clients=5, rows=10, work=tmp_path, overall_timeout=600)
    assert result.errors == []
    assert result.rows_submitted == 50
    assert result.records_after == 50
    assert result.current_submissions == 5
    assert len(result.check_s) == len(result.submit_s) == 5
    assert len(result.alone_check_s) == serve_load.ALONE_CHECKS
    assert result.ok


def test_the_generated_leaders_and_ledgers_are_fixed_by_the_seed(tmp_path):
    """Fixtures from a fixed seed: the same names twice, distinct, none of the samples' 8."""
    first, again = serve_load.leader_names(50), serve_load.leader_names(50)
    assert first == again and len(set(first)) == 50
    assert not set(first) & {"洪文泽", "李明", "陈志强", "黄丽娟", "张国华", "刘晓燕", "林海峰", "吴建新"}
    ledgers = serve_load.write_ledgers(tmp_path, first[:2], rows=10)
    from openpyxl import load_workbook

    ws = load_workbook(ledgers[first[1]]).worksheets[0]
    assert ws.cell(3, 1).value == "序号" and ws.cell(3, 2).value == "镇领导"
    assert [ws.cell(r, 2).value for r in range(4, 14)] == [first[1]] * 10
    assert ws.cell(14, 1).value is None  # 10 rows, then the gap before the 填报人 line
