"""The bqw.toml that `bqw init` writes: every setting with its Chinese explanation (bqw.jobs.config reads it)."""

TEMPLATE = '''# bqw 工作区配置（TOML 格式）。“#”后面是说明；改完保存即可，下次运行 bqw 时生效。
# 文字用英文双引号括起来；列表写成 ["甲", "乙"]。

[unit]
# 单位名称：通报、简报的发文机关和落款
name = "{unit}"
# 镇（县、区）名称：标题中使用，如“平安镇”
town = "{town}"
# 文号前缀：发文字号写作“前缀〔2026〕3号”
doc_prefix = "{prefix}"
# 年度：统计年度（年度目标、年初至今的累计）
year = {year}

[targets]
# 每位镇领导每年到每个挂点村调研的最少次数
visits = 5
# 每位镇领导每年到每个挂点村调研的最少天数（累计）
days = 5
# 典型村评价的达标分数（且负面清单无一项）
score_standard = 80
# 任务到期前多少天列入预警
due_soon_days = 7
# 年度目标的计算单位："village" 每个挂点村每年不少于上述次数和天数（工作方案的要求）；
# "leader" 每位镇领导每年合计不少于上述次数和天数
unit = "village"

[deadlines]
# 报送截止：期间结束后第几天（月度台账“月底后两天”，季度“季度末后两天”）。
# 也可按台账种类分别设置，如 visits = 3
days_after = 2

[escalation]
# 逾期任务的处理：逾期满多少天督办、满多少天约谈；连续几个月有逾期事项挂牌
supervise_days = 15
interview_days = 30
listing_months = 3

[evaluation]
# 年度考评结果建议（报指挥部审定）：整改完成率（%）不低于 praise_rate 且无逾期事项的，建议表扬；
# 低于 interview_rate 的，建议约谈；低于 listing_rate 的，建议挂牌整治
praise_rate = 95
interview_rate = 60
listing_rate = 40

[enums]
# 指挥部职务的可选值
posts = ["总指挥", "第一副总指挥", "常务副总指挥", "副总指挥", "成员", "联络员"]
# 所属专班的可选值
teams = ["镇域经济", "城镇建设", "乡村振兴", "要素保障", "政策支持", "信息化"]
# 任务来源的可选值
task_sources = ["问题整改", "会议议定", "领导批示", "重点项目", "为民实事", "年度要点"]

[aliases]
# 本单位表格里的表头写法：bqw 不认识的表头，在这里告诉它是哪一列（校验、合并、统计都按这一列读）。
# 写法：台账种类.标准列名 = ["表头写法", "另一种写法"]，例如把“所到村组”读作挂点调研台账的“调研地点”：
# visits.调研地点 = ["所到村组"]
# 台账种类：visits 挂点调研台账、assignments 挂点联系村安排表、roster 指挥部成员名单、problems 问题清单、
# responsibilities 责任清单、tasks 任务清单、scores 典型村评价；标准列名见 docs/ledgers.md。

[ledgers]
# 指挥部成员名单、镇领导挂点联系村安排表的位置（相对本文件所在文件夹）
roster = "名单/指挥部成员名单.xlsx"
assignments = "名单/镇领导挂点联系村安排表.xlsx"

[folders]
# 收件箱：各单位报来的台账放这里（可以按月份建子文件夹）
inbox = "inbox"
# 输出：合并台账、统计表、退回件、通报和简报
out = "out"
# 归档数据库
archive = "bqw.db"
# 运行日志
log = "bqw.log"

[tongbao]
# 发文机关标志（红头上的字）
issuer = "{unit}"
# 主送单位
to = ["各村（社区）", "镇直各单位"]
# 抄送
cc = []
# 印发机关
printer = "{unit}"
# 进展通报下发各村（社区）、镇直各单位，调研进度滞后时正文不点名以下职务的领导（按指挥部成员名单的
# “职务”“指挥部职务”认定，其进度只在附件表格中列出）；写 [] 则全部点名
unnamed_posts = ["党委书记", "书记", "镇长", "总指挥", "第一副总指挥"]

[jianbao]
# 简报名称（红色报头）
name = "“百千万工程”工作简报"
# 编印单位
editor = "{unit}"
# 报、送、发
bao = []
song = []
fa = ["各村（社区）", "镇直各单位"]
# 印数
copies = 30
'''
