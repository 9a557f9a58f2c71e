"""Findings as data: one catalogue of rule codes, severities and Chinese message templates.

Messages are rendered here and nowhere else (see docs/rules.md, generated from CATALOGUE).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"  # how the sheet was read, for the submitter to know; never a problem

SEVERITY_ZH = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str  # short Chinese title, for docs and tables
    template: str  # Chinese message; {placeholders} filled from Finding params


def _r(code, severity, title, template):
    return code, Rule(code, severity, title, template)


CATALOGUE: dict[str, Rule] = dict(
    [
        # --- files -----------------------------------------------------------------
        _r("file-missing", ERROR, "文件不存在", "找不到文件，请检查路径"),
        _r("file-empty", ERROR, "空文件", "文件大小为 0 字节，可能上传或复制未完成，请重新提交"),
        _r("file-not-spreadsheet", ERROR, "不是表格文件",
           "文件内容不是 Excel 工作簿（{what}），请用 Excel 或 WPS 另存为 .xlsx 后重新提交"),
        _r("file-corrupt", ERROR, "文件已损坏",
           "文件已损坏或不完整，无法打开（{detail}），请重新导出后提交"),
        _r("file-encrypted", ERROR, "文件已加密",
           "文件设置了打开密码，无法读取；请在 Excel/WPS 中取消密码后重新提交"),
        _r("file-too-large", ERROR, "文件过大",
           "文件大小 {size} 超过上限 {limit}，请拆分后提交（上限可在 bqw.toml 的 [limits] 中调整）"),
        _r("file-inflated-too-large", ERROR, "解压后过大",
           "工作簿解压后约 {size}，超过上限 {limit}，疑似异常文件（“压缩炸弹”），已拒绝读取"),
        _r("file-too-much-memory", ERROR, "读取所需内存过多",
           "“{name}”读取时{need}，超过上限 {limit}：{why}。已拒绝读取；请删除多余内容或拆分后重新提交。"
           "确需读取时，可在 bqw.toml 的 [limits] 中调高 max_read_mb，或设置环境变量 BQW_MAX_READ_MB"),
        _r("file-unsafe-xml", ERROR, "文件含不安全内容",
           "工作簿的 XML 中含有实体定义（{part}），这是已知的攻击手段，已拒绝读取"),
        _r("file-unsupported", ERROR, "不支持的文件类型",
           "不支持的文件类型“{ext}”，请提交 .xlsx、.xlsm、.xls 或 .csv 文件"),
        _r("file-unreadable", ERROR, "无法读取", "无法读取文件：{detail}"),
        _r("csv-encoding", ERROR, "编码无法识别",
           "CSV 文件编码无法识别，请另存为 UTF-8 或 GBK 编码"),
        _r("sheet-too-wide", ERROR, "工作表过宽",
           "工作表“{sheet}”{width}超过上限 {limit} 列，疑似异常文件；请删除多余的列后重新提交"),
        _r("sheet-too-long", ERROR, "工作表行数过多",
           "工作表“{sheet}”有 {rows} 行，超过上限 {limit} 行；请拆分后提交"),
        _r("no-data-sheet", ERROR, "找不到台账表头",
           "没有找到可识别的台账表头。支持的台账及其关键表头：{kinds}"),
        _r("kind-mismatch", ERROR, "台账类型不符",
           "按“{expected}”读取，但找不到其关键表头（{keys}）；该表更像“{found}”"),
        _r("period-far-from-year", ERROR, "期间与工作区年度相差太远",
           "读出的期间 {period}（取自{source}）与工作区年度 {year} 相差太远，本文件未归档；请核对标题、日期和文件名，"
           "确需归档其他年度的台账请用 --period 指定"),
        _r("missing-column", ERROR, "缺少必填列",
           "表头中缺少必填列“{column}”（可用的表头写法：{aliases}）"),
        # --- values ----------------------------------------------------------------
        _r("required", ERROR, "必填项为空", "“{column}”为必填项，不能为空"),
        _r("date-invalid", ERROR, "日期无法识别",
           "“{value}”不是可识别的日期，应为日期格式单元格或“2024年3月5日”“2024.3.5”“2024/3/5”"),
        _r("date-no-year", ERROR, "日期缺少年份",
           "“{value}”缺少年份，且无法从标题、文件名或 --period 推断年份；请写成“2024年3月5日”"),
        _r("date-range-invalid", ERROR, "日期范围无法识别",
           "“{value}”不是有效的日期范围，应如“3月5日-7日”（结束不早于开始，且不超过 31 天）"),
        _r("date-ambiguous", WARNING, "日期可能有歧义",
           "数字“{value}”按 {parsed} 读取；数字会省去末尾的 0（如 9.30 存为 9.3），"
           "若不是这一天，请改写为“9月30日”这样的日期"),
        _r("count-invalid", ERROR, "数量无法识别",
           "“{value}”不是有效的数量，应为非负整数，如“3”“3个”“三”"),
        _r("count-negative", ERROR, "数量为负", "“{value}”为负数，数量应不小于 0"),
        _r("number-invalid", ERROR, "数值无法识别", "“{value}”不是有效的数值，应如“3”或“2.5”"),
        _r("number-negative", ERROR, "数值为负", "“{value}”为负数，应不小于 0"),
        _r("enum-invalid", ERROR, "取值不在范围内",
           "“{value}”不是“{column}”的有效取值，应为：{allowed}"),
        _r("yesno-invalid", ERROR, "应填有或无", "“{value}”无法识别，应填“有”或“无”"),
        _r("phone-invalid", WARNING, "电话号码有误",
           "电话号码“{value}”格式有误，手机号应为 1 开头的 11 位数字，固话应带区号（如 0758-1234567）"),
        _r("phone-column-invalid", ERROR, "电话号码无效",
           "“{value}”不是有效的电话号码，手机号应为 1 开头的 11 位数字，固话应带区号（如 0758-1234567）"),
        _r("formula-no-value", WARNING, "公式没有计算结果",
           "公式没有计算结果，请在 Excel/WPS 中打开并保存后再报送（有的软件保存时不计算公式，bqw 读到的是空值）"),
        _r("text-control-chars", WARNING, "含不可见字符", "单元格含有不可见的控制字符，已在读取时去除"),
        _r("file-name-ignored", INFO, "文件名与表内容不符",
           "文件名中的“{what}”与{source}不符，已忽略，按 {used} 归档"),
        _r("unknown-column", INFO, "未识别的列（已保留）",
           "未识别的列“{label}”（{letter}列），已作为“{name}”列原样保留"),
        _r("unlabelled-column", INFO, "没有表头的列",
           "{letter}列没有表头，其中 {count} 个单元格的内容未读取（{cells}）；如需保留请补上表头"),
        _r("text-too-long", WARNING, "内容过长",
           "单元格内容有 {length} 个字符，超过 Excel 单元格上限 32767，写出时将被截断"),
        # --- visits ----------------------------------------------------------------
        _r("visit-outside-period", WARNING, "调研时间不在填报期间",
           "调研时间 {value} 不在填报期间 {period} 内"),
        _r("visit-days-mismatch", WARNING, "调研天数与调研时间不符",
           "填报的调研天数“{value}”与调研时间算出的 {days} 天不符，按 {days} 天统计"),
        _r("visit-unknown-leader", WARNING, "领导不在名单中",
           "“{value}”不在挂点安排表或成员名单中，请核对姓名"),
        _r("visit-village-not-assigned", WARNING, "非挂点村",
           "“{value}”不是{leader}的挂点联系村（挂点村：{villages}）"),
        # --- roster ----------------------------------------------------------------
        _r("roster-chief-count", ERROR, "总指挥人数有误",
           "成员名单中应有且只有一名“{chief}”，实际为 {count} 名{names}"),
        _r("roster-liaison-missing", ERROR, "缺少联络员", "单位“{unit}”没有指定“{liaison}”"),
        _r("roster-liaison-multiple", ERROR, "联络员多于一名",
           "单位“{unit}”有 {count} 名“{liaison}”（{names}），每个单位只能指定一名"),
        _r("roster-duplicate-person", ERROR, "人员重复",
           "“{value}”（{unit}）在名单中重复出现，另见第 {other} 行"),
        _r("roster-name-in-two-units", WARNING, "同一姓名列在两个单位",
           "“{value}”同时列在“{first_unit}”（{first_cell}）和“{unit}”（{this_cell}），请核对是否为同一人"),
        # --- rectification lists ---------------------------------------------------
        _r("duplicate-id", ERROR, "编号重复", "{column}“{value}”重复，另见第 {other} 行"),
        _r("unknown-problem", ERROR, "问题编号不存在", "问题编号“{value}”在问题清单中不存在"),
        _r("unknown-unit", WARNING, "单位不在成员名单中",
           "“{value}”不在指挥部成员名单的单位中，请核对单位名称"),
        _r("task-completed-no-date", ERROR, "已完成但无完成时间",
           "完成状态为“已完成”，但“完成时间”为空"),
        _r("task-completed-before-found", ERROR, "完成时间早于发现时间",
           "完成时间 {value} 早于该问题的发现时间 {found}"),
        _r("task-date-without-completion", WARNING, "未完成却有完成时间",
           "完成状态为“{status}”，却填写了完成时间 {value}，请核对"),
        # --- decisions (会议议定事项) --------------------------------------------------
        _r("decision-plan-late", WARNING, "落实计划报送超时",
           "落实计划于 {value} 报送，会议（{meeting}）后应两日内报送，晚了 {days} 天"),
        _r("decision-plan-missing", WARNING, "落实计划未报送",
           "会议（{meeting}）后应两日内报送落实计划，截至 {as_of} 已超过期限 {days} 天仍未填写报送日期"),
        _r("decision-overdue", WARNING, "议定事项逾期未完成",
           "完成时限 {value} 已过，截至 {as_of} 仍未完成，逾期 {days} 天"),
        _r("decision-deadline-before-meeting", ERROR, "完成时限早于会议时间",
           "完成时限 {value} 早于会议时间 {meeting}，请核对"),
        # --- scores ----------------------------------------------------------------
        _r("score-above-max", ERROR, "得分超过满分", "{column}得分 {value} 超过该项满分 {maximum}"),
        _r("score-not-half", ERROR, "得分精度有误", "{column}得分 {value} 应为 0.5 的整数倍"),
        _r("score-total-mismatch", WARNING, "总分与分项之和不符",
           "填报总分 {value} 与各项得分之和 {expected} 不符，以重新计算的 {expected} 为准"),
        _r("score-duplicate-village", ERROR, "村重复", "“{value}”在同一年度重复评分，另见第 {other} 行"),
        _r("score-negative-blank", WARNING, "负面清单未填写",
           "负面清单第{item}项（{text}）未填写，按“无”计；请填“有”或“无”"),
        _r("too-many-errors", ERROR, "同类错误过多",
           "“{column}”列共有 {total} 处“{title}”，只逐条列出了前 {shown} 处；问题这样多，多半是用错了模板或整列错位，"
           "本表各行暂不计入（放入待核实），请核对后重新提交"),
        _r("too-many-warnings", WARNING, "同类警告过多", "“{column}”列共有 {total} 处“{title}”，只逐条列出了前 {shown} 处"),
        # --- rows ------------------------------------------------------------------
        _r("duplicate-row", WARNING, "重复行", "本行与第 {other} 行内容完全相同"),
    ]
)


@dataclass
class Finding:
    """One problem found in a submission, located as precisely as possible."""

    code: str
    file: str = ""
    sheet: str | None = None
    cell: str | None = None  # "D7"; None for sheet- or file-level findings
    row: int | None = None  # Excel row number
    column: str | None = None  # canonical column name
    params: dict = field(default_factory=dict)
    table: str | None = None  # the ledger kind of the table it concerns (a sheet may hold three)

    def __post_init__(self):
        if self.row is not None:
            self.row = int(self.row)  # frame indexes are numpy integers; JSON wants int

    @property
    def rule(self) -> Rule:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def message(self) -> str:
        params = {"column": self.column or "", **self.params}
        try:
            return self.rule.template.format(**params)
        except (KeyError, IndexError):  # a missing param must not hide the finding
            return self.rule.template

    def to_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }

    def as_tuple(self) -> tuple:
        """Compact view for tests: (code, sheet, cell)."""
        return (self.code, self.sheet, self.cell)


# The most findings of one rule in one column of one sheet that are listed one by one: a file with an error
# in every cell of a column (the wrong template, a shifted column) would otherwise make hundreds of
# thousands of them (each 1–3 KB through the report), and a clerk reads the first few anyway.
MAX_SAME = 200


def overflow(first: Finding, total: int, shown: int = MAX_SAME) -> Finding:
    """The one finding that stands for the `total - shown` findings like `first` left unlisted. An error
    overflow holds back every row of its table (bqw.store.records.records_of), as the rows beyond were not marked."""
    code = "too-many-errors" if first.severity == ERROR else "too-many-warnings"
    return Finding(code, file=first.file, sheet=first.sheet, column=first.column, table=first.table,
                   params={"total": total, "shown": shown, "title": first.rule.title, "rule": first.code})


def cap(findings: list[Finding], most: int = MAX_SAME) -> list[Finding]:
    """`findings` with at most `most` of one rule in one column of one sheet, the rest said in one
    finding (overflow); order kept."""
    counts: dict[tuple, int] = {}
    for f in findings:
        key = (f.sheet, f.table, f.column, f.code)
        counts[key] = counts.get(key, 0) + 1
    if all(n <= most for n in counts.values()):
        return findings
    out, seen, firsts = [], {}, {}
    for f in findings:
        key = (f.sheet, f.table, f.column, f.code)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= most:
            out.append(f)
        firsts.setdefault(key, f)
    out += [overflow(firsts[k], n, most) for k, n in counts.items() if n > most]
    return out


def col_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def rule_table() -> list[dict]:
    """The catalogue as rows, for docs/rules.md (bqw.cli.docsgen)."""
    return [asdict(r) | {"severity_zh": SEVERITY_ZH[r.severity]} for r in CATALOGUE.values()]
