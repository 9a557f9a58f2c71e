"""What bqw reads, as examples: the forms of values and the layouts of sheets.

One table each, rendered into docs/ledgers.md by bqw.cli.docsgen (blocks ``value-forms`` and
``layouts``) and checked by tests/unit/test_forms.py: every value example is parsed by the real
parser and must give what the table says; every layout names the test that reads such a sheet.
So the list an office reads is the list bqw reads.
"""

from __future__ import annotations

from dataclasses import dataclass

YEAR = 2026  # the year the examples take from their sheet (title, period)


@dataclass(frozen=True)
class ValueForm:
    """A way a clerk writes a value, and what bqw reads it as."""

    kind: str  # date | range | deadline | count | number | yesno
    written: object  # the cell as written (text, or a number cell)
    read_as: str  # what bqw reads: YYYY-MM-DD (with “，N 天” for ranges), a number, 有/无, 长期
    note: str = ""


VALUE_FORMS = (
    ValueForm("date", "2026年10月5日", "2026-10-05"),
    ValueForm("date", "2026.10.5", "2026-10-05"),
    ValueForm("date", "2026/10/5", "2026-10-05"),
    ValueForm("date", "2026-10-05", "2026-10-05"),
    ValueForm("date", "20261005", "2026-10-05"),
    ValueForm("date", "10月5日", "2026-10-05", "年份取自标题、期间或文件名"),
    ValueForm("date", "10.5", "2026-10-05", "月.日，年份同上"),
    ValueForm("date", "２０２６年１０月５日", "2026-10-05", "全角数字"),
    ValueForm("date", "十月五日", "2026-10-05", "汉字数字"),
    ValueForm("date", "二〇二六年十月五日", "2026-10-05"),
    ValueForm("date", "'2026-10-05", "2026-10-05", "CSV 导出时前面的单引号"),
    ValueForm("date", "46300", "2026-10-05", "以文字保存的 Excel 日期序号"),
    ValueForm("date", 10.15, "2026-10-15", "数字格式单元格中的 月.日"),
    ValueForm("date", "2026年10月5日（星期一）上午", "2026-10-05", "星期、上午下午、时刻不影响"),
    ValueForm("range", "10月9日-11日", "2026-10-09，3 天"),
    ValueForm("range", "10月9日至11日", "2026-10-09，3 天"),
    ValueForm("range", "10月9日、10日", "2026-10-09，2 天"),
    ValueForm("range", "2026.10.16-10.17", "2026-10-16，2 天"),
    ValueForm("range", "十月九日至十一日", "2026-10-09，3 天"),
    ValueForm("range", "10月30日-11月1日", "2026-10-30，3 天", "跨月：月份按第一天"),
    ValueForm("deadline", "9月底", "2026-09-30", "该月最后一天"),
    ValueForm("deadline", "9月末", "2026-09-30"),
    ValueForm("deadline", "11月15日前", "2026-11-15"),
    ValueForm("deadline", "年底前", "2026-12-31"),
    ValueForm("deadline", "三季度末", "2026-09-30"),
    ValueForm("deadline", "上半年", "2026-06-30"),
    ValueForm("deadline", "10月1日-15日", "2026-10-15", "范围：最后一天"),
    ValueForm("deadline", "长期坚持", "长期", "长期任务：不算缺填，永不逾期"),
    ValueForm("deadline", "持续推进", "长期"),
    ValueForm("deadline", "常态化", "长期"),
    ValueForm("count", "3个", "3"),
    ValueForm("count", "３", "3", "全角"),
    ValueForm("count", "三", "3", "汉字"),
    ValueForm("count", "共3项", "3"),
    ValueForm("count", "十二", "12"),
    ValueForm("count", "无", "0"),
    ValueForm("number", "3.5分", "3.5"),
    ValueForm("number", "３.５", "3.5"),
    ValueForm("yesno", "√", "有"),
    ValueForm("yesno", "是", "有"),
    ValueForm("yesno", "否", "无"),
    ValueForm("yesno", "×", "无"),
)

KIND_ZH = {"date": "日期", "range": "日期范围（调研时间）", "deadline": "完成时限", "count": "数量", "number": "分数",
           "yesno": "有/无"}


@dataclass(frozen=True)
class Layout:
    """A way offices lay out a sheet that bqw reads, and the test that reads one."""

    name: str
    description: str
    test: str  # tests/<module>.py::<function>


LAYOUTS = (
    Layout("官方模板（附件3）两行表头",
           "除“调研成效”外各表头单元格上下合并两行；“调研成效”横跨两个子列，子列表头是模板原文“推动xx村解决问题xx个：”"
           "“1.xx项目(工作)：目前进展情况如何。…”。第二行表头不当作数据；两个子列的内容用“；”连接为调研成效",
           "unit/test_fidelity.py::test_the_official_template_as_printed_reads_exactly_its_rows"),
    Layout("CSV 中压平的两行表头",
           "导出 CSV 后第二行表头前几格为空，只在子列下有文字；上级表头横跨的格也为空，按其左边的表头读",
           "unit/test_fidelity.py::test_the_official_template_as_printed_reads_exactly_its_rows"),
    Layout("“调研成效”下分“具体成效”“调研推动解决问题数量（个）”",
           "bqw 以前的模板和许多单位自制的表：两行表头，子列各自对应一列",
           "unit/test_reader.py::test_two_row_header_with_merged_parent"),
    Layout("表头下的列序号行", "表头下一行写 1、2、3……（或①②③）给各列编号：属于表头，不是数据",
           "unit/test_fidelity.py::test_a_row_numbering_the_columns_belongs_to_the_header"),
    Layout("标题、附件号和填报行",
           "表头上方的标题、“附件3”、“填报单位：……　填报时间：……”“挂点领导：……　协助部门：……”：一行中的每个“标签：”都分开读；"
           "填报单位、协助部门为报送单位，挂点领导为领导，统计期间为期间",
           "unit/test_fidelity.py::test_a_title_block_line_holds_every_field_it_names"),
    Layout("模板示例行", "序号写“例”“示例”的行，或整行都是“xx村”“2024年xx月xx日”这类占位文字的行：不是数据",
           "unit/test_fidelity.py::test_rows_of_placeholders_and_of_labels_are_not_records"),
    Layout("重复的表头", "表中间再次出现的表头（几张表拼在一起）：不是数据",
           "unit/test_reader.py::test_repeated_header_row_and_same_as_above"),
    Layout("合计行、表尾和空行", "“合计”“小计”行，“填报人：… 审核人：…”表尾，中间的空行：不是数据",
           "unit/test_reader.py::test_merged_down_leader_and_dropped_rows"),
    Layout("向下合并的单元格和“同上”", "领导姓名等向下合并覆盖多行，或写“同上”“〃”：每一行都取该值",
           "unit/test_reader.py::test_merged_down_leader_and_dropped_rows"),
    Layout("一位领导一张表（镇汇总簿）", "工作簿中每张工作表以领导姓名命名（可带空格，如“王 芳”），表中没有镇领导列：表名即领导",
           "unit/test_fidelity.py::test_one_sheet_per_leader_the_sheet_name_is_the_leader"),
    Layout("一月一张表（全年台账）", "工作表名为“1月”……“12月”（有的只有表头）：每一行属于所在表的月份",
           "unit/test_fidelity.py::test_one_sheet_per_month_every_row_in_its_sheets_month"),
    Layout("合并式整改台账", "问题清单、责任清单、任务清单的列在同一张表：问题和责任单元格向下合并、留空或写“同上”，每个任务一行",
           "unit/test_reader.py::test_rectification_three_sheets_and_combined_give_same_records"),
    Layout("印发的评价指标表（附件4）逐项打分", "一级指标 | 序号 | 二级指标 | 得分，一个村一张表，负面清单（附件5）在下方或另一张表；"
           "村名取自“参评村：”行、标题、表名或文件名",
           "unit/test_fidelity.py::test_the_printed_rubric_filled_in_is_one_village"),
    Layout("未识别的列", "规范没有的列（陪同人员、照片、会议名称……）：原样保留在合并台账标准列之后，校验时列为提示",
           "unit/test_fidelity.py::test_columns_bqw_does_not_know_are_kept_reported_and_merged"),
    Layout("填了调研天数", "表中自带“调研天数”列：读入并与调研时间核对，不一致时给出警告，按调研时间计",
           "unit/test_fidelity.py::test_a_submitted_day_count_is_read_and_checked_against_the_dates"),
    Layout("填表说明页和隐藏工作表", "名为“填表说明”“说明”等的工作表和隐藏的工作表：跳过",
           "unit/test_reader.py::test_instruction_and_hidden_sheets_skipped"),
)
