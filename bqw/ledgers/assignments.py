"""assignments — 镇领导挂点联系村安排表: which villages each town leader is assigned."""

from __future__ import annotations

from bqw.ledgers.spec import LIST, NAME, SERIAL, TEXT, Column, LedgerSpec

COLUMNS = (
    Column("序号", SERIAL, aliases=("No.", "No"), width=6, example=1),
    Column("镇领导", NAME, True,
           aliases=("挂点领导", "挂点镇领导", "领导姓名", "镇领导姓名", "联系领导", "领导", "姓名",
                    "挂点联系领导", "挂钩领导", "挂钩镇领导", "镇班子成员", "班子成员"),
           note="挂点镇领导姓名", example="洪文泽", width=10),
    Column("联系行政村", LIST, True,
           aliases=("挂点联系村", "挂点村", "联系村", "挂点行政村", "联系行政村社区", "挂点村居",
                    "联系村居", "行政村", "村", "挂点联系行政村", "挂点联系村居", "挂钩村", "挂钩联系村", "联系点"),
           note="可填多个村，用“、”分隔", example="东坑村、新塘社区", width=30),
    Column("协助部门", TEXT, aliases=("协助单位", "配合部门", "协助科室", "牵头部门", "配合单位", "协同部门",
                                        "协助配合部门", "牵头单位"),
           note="协助该领导的部门", example="农业农村办", width=16),
)

SPEC = LedgerSpec(
    kind="assignments",
    title="镇领导挂点联系村安排表",
    columns=COLUMNS,
    key_columns=("镇领导", "联系行政村"),
    sheet_aliases=("挂点安排", "挂点联系村安排表"),
    unique=(),
    description="每位镇领导一行，列出其挂点联系的行政村（社区）；一个村可有多位领导。",
)
