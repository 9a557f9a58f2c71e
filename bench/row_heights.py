"""Row heights (issue 16): a merged sheet written with and without them, side by side (ABBA), 6,000 and
100,000 rows; prints the medians and the median of the per-round ratios (bench/README.md, seventh round).

    .venv/bin/python bench/row_heights.py
"""
import sys, time, statistics, tempfile
from pathlib import Path
import numpy as np, pandas as pd
from bqw.output import xlsx as X

def frame(n, seed=7):
    rng = np.random.default_rng(seed)
    words = ["调研河道清理工作", "召开村“两委”座谈会，研究典型村创建工作并部署下一步任务安排", "检查人居环境整治", "走访脱贫户"]
    return pd.DataFrame({
        "序号": np.arange(1, n + 1), "镇领导": rng.choice(["洪文泽", "吴建新", "张国华"], n),
        "调研时间": pd.to_datetime("2026-10-01") + pd.to_timedelta(rng.integers(0, 30, n), unit="D"),
        "调研地点": rng.choice(["东坑村", "大岭村", "新塘社区"], n), "调研内容": rng.choice(words, n),
        "调研成效": rng.choice(words, n), "推动解决问题数量": rng.integers(0, 5, n),
        "联系人及联系方式": rng.choice(["村支书刘汉光 13812345678", "社区书记许伟强\n13378205564"], n),
        "备注": rng.choice(["", "需镇级协调"], n), "来源文件": rng.choice(["附件3：平安镇领导挂点调研台账（10月）-洪文泽.xlsx"], n)})

def one(f, heights: bool, path):
    saved = X.row_heights
    if not heights:
        X.row_heights = lambda frame, widths: None
    try:
        t = time.perf_counter()
        X.save(path, lambda wb, st: X.write_table(wb, st, "台账", "合并台账", f, {"调研内容": 40}))
        return time.perf_counter() - t
    finally:
        X.row_heights = saved

if __name__ == "__main__":
  for n in (6_000, 100_000):
      f = frame(n); d = Path(tempfile.mkdtemp())
      one(f, True, d / "w.xlsx"); one(f, False, d / "w.xlsx")
      ratios, new, old = [], [], []
      for r in range(5):
          order = (True, False) if r % 2 == 0 else (False, True)
          t = {h: one(f, h, d / f"{h}.xlsx") for h in order}
          new.append(t[True]); old.append(t[False]); ratios.append(t[True] / t[False])
      print(f"{n} rows: with heights {statistics.median(new):.3f} s, without {statistics.median(old):.3f} s, "
            f"ratio {statistics.median(ratios):.2f} (per round {min(ratios):.2f}–{max(ratios):.2f})")
