"""The wording ingest/conditions.py reads: kinds of company, prerequisites, terms, departments.

Regular expressions over one clause, each table with the reason it is there. New kinds of
document may need new wording here; tests/test_conditions.py holds the cases they must keep.
"""

import re

from ingest.audience import INSTITUTION

# Kinds of company a clause can name, most specific wording first; each match is blanked
# out so "科技型中小企业" is not also read as 中小企业.
TARGETS = {
    "科技型中小企业": r"科技型中小企业|小微型科技型企业",
    "高新技术企业": r"高新技术企业",
    "专精特新“小巨人”企业": r"专精特新[“\"]?小巨人[”\"]?企业|[“\"]小巨人[”\"]企业",
    "专精特新企业": r"[“\"]?专精特新[”\"]?(中小)?企业",
    "瞪羚企业": r"瞪羚企业",
    "独角兽培育企业": r"独角兽(培育)?企业",
    "领军人才": r"领军人才|战略科学家|顶尖[^。；，]{0,4}人才|创新团队|高层次[^。；，]{0,6}人才",
    "上市后备企业": r"上市后备企业|后备企业|纳入[^。；，]{0,6}培育库",
    "上市公司": r"上市公司",
    "领军企业": r"领军企业|龙头企业|链主企业|单项冠军",
    "科技服务业企业": r"科技服务业企业",
    "制造业中小企业": r"制造业(中小|小微)企业",
    "制造业企业": r"制造业[^。；，、]{0,4}企业",
    "科技型企业": r"科技型[^。；，、]{0,4}企业|科技企业|科技创新企业|科创企业|硬科技企业|创新型[^。；，、]{0,4}企业",
    "中小企业": r"中小微?企业",
    "小微企业": r"小微企业|小型微型企业|小企业",
    "轻资产企业": r"轻资产企业",
    "无贷企业": r"无贷企业|首贷户",
    "民营企业": r"民营企业|民营经济",
    "产业创新集群企业": r"产业创新集群企业",
    "科技招商项目": r"招商项目",
}
FIRST_LOAN = re.compile(r"(的)?(首贷|首次贷款)")
INDIVIDUALS = re.compile(r"人才|团队")  # a clause naming no company but people: they are the beneficiary
STAGES = ("种子期", "初创期", "成长期", "成熟期")
# Fields a clause names as its focus, mapped to the form's industries (ingest/tags.py INDUSTRY).
FOCUS = re.compile(r"重点支持|聚焦|重点投向|重点发展|围绕|领域")
# Trades listed as the only ones meant: "支持铅蓄电池、电镀、化工…等行业企业".
SECTORS = re.compile(r"(?P<list>[\u4e00-\u9fff]{1,8}(、[\u4e00-\u9fff]{1,8}){1,9})等行业(企业)?")
ZONES = {"苏南自创区": r"苏南自创区|苏南国家自主创新示范区"}
PREREQS = {
    "已获得“苏科贷”等贷款支持": r"获得[“\"][^”\"]{1,8}贷[”\"]支持",
    "属于试点支持对象": r"试点支持对象",
    "已投保相关保险": r"对投保企业|投保[^。；，]{0,12}保险[^。；，]{0,6}的",
    "列入相关清单或名录": r"清单内企业|列入[^。；，]{0,10}(清单|名录)",
    "承担国家攻关任务": r"承担国家攻关任务",
    "与高校、科研机构合作研发": r"与(高等院校|高校)[^。；]{0,12}合作(研究)?开发",
    "引进的人才符合条件": r"引进的符合条件的人才",
    "由劳动者自主创业开办": r"自主开办|自主创业|首次创业",
}
UNSTATED = re.compile(r"符合(政策)?条件的?|按(照)?(有关|国家|相关)?规定|依照(有关|相关)?规定|按程序")
DOC_REF = re.compile(
    r"《[^》]{2,40}》（?[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,4}号）?|[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,4}号"
)
PRODUCT = re.compile(r"[“\"]([^”\"]{1,10}(贷|担|保|投|债))[”\"]")

INSTITUTION_NAMES = re.compile(r"(股权投资|创业投资|天使投资|投资|担保|保险|融资租赁)(机构|公司)")
AIMS = re.compile(r"目标|原则|思想|思路|总体要求|适用范围|名词解释|立法目的")
# A bank's or a department's own staff: "引进培养既懂制造业又懂金融的复合型人才".
OWN_STAFF = re.compile(
    r"(引进|培养|引育)[^。；]{0,20}(复合型|专业化?|金融)[^。；]{0,6}人才|人才队伍|人才培养机制"
)
# A bank told to act ("金融机构应当…", "鼓励银行机构…"): it helps a company, but the bank acts.
BANK_SUBJECT = re.compile(
    rf"^[^，。；]{{0,12}}?{INSTITUTION}[^，。；]{{0,6}}?(应当|要|可)|^(鼓励|引导|支持|推动|督促)[^，。；]{{0,6}}{INSTITUTION}"
)
# What makes "支持/鼓励企业…" a benefit rather than an exhortation.
BENEFIT = re.compile(r"融资|贷款|上市|挂牌|债券|投资|资金|补贴|补助|奖励|服务|获得|用地|场地|便利|资本市场")
# Verbs after 给予/予以 that are no benefit: checks, sanctions, publication.
NOT_A_BENEFIT = re.compile(
    r"(给予|予以)(查验|处罚|警告|罚款|通报|取缔|撤销|吊销|公告|公布|查处|处理|验收)|不得|不再予以|不予"
)
FUNDS = re.compile(r"专项资金|资助|补助|奖补")
RECIPIENT = re.compile(r"企业|项目|单位|人才|经营者|创业者|组织|农民")  # money must reach someone
FUND_ADMIN = re.compile(r"监督|评估|管理办法|使用过程|审计")  # how a fund is run, not who gets it
SERVICE_DESK = re.compile(r"一站式|服务中心|服务专员|服务平台")  # a desk serving a named kind of company
LENDING = re.compile(r"投放|信贷|贷款|授信|融资服务|融资需求|金融支持|金融服务")
PENALTY = re.compile(r"罚款|骗取|责令|追究|处分|截留|挪用|违反本")
CN_NUM = "零〇一二两三四五六七八九十百千万"
AMOUNT = re.compile(
    rf"(最高|最长|不超过|不低于|上限|上浮|下浮|以上|以下)?[^。；，,]{{0,8}}?"
    rf"(\d+(\.\d+)?\s*(%|％|个百分点|倍|万元|亿元|元|年|个月)|百分之[{CN_NUM}]+|[{CN_NUM}]+(万元|亿元|元|个百分点|倍))"
    rf"([^。；，]{{0,6}}(以上|以下|以内))?"
)
MATERIAL = re.compile(r"(申报|申请)材料|提交[^。；]{0,30}(材料|证明|资料|报告)|提供[^。；]{0,20}(证明|材料)")
TIME = re.compile(
    rf"每年\d{{1,2}}月|\d{{1,2}}月\d{{1,2}}日前|截止|申报期|有效期|之日起[^。；]{{0,12}}[{CN_NUM}\d]+个?(工作)?日内"
    rf"|[{CN_NUM}\d]+个?(工作)?日内|期限[^。；，]{{0,8}}\d"
)
CHANNEL = re.compile(
    r"通过[^。；，]{0,20}(平台|系统|网站|窗口|专区)|线上服务专区|一站式|服务专员|服务中心|服务平台|直通车"
    r"|向[^。；，]{0,20}(申请|申报|提出|备案)"
)
# The department that acts in a clause: "省财政对…予以贴息", "由政府有关部门依照规定给予资助".
DEPT = re.compile(
    r"(省|市|县|区)(财政|科技厅|科技局|工信|工业和信息化|发展改革委|人社|商务|金融监管局|地方金融|自然资源|市场监管|知识产权局)"
    r"(厅|局|委|部门)?"
    r"|(财政|科技|工信|经济和信息化|人力资源社会保障|商务|自然资源|市场监督管理|中小企业工作|知识产权|金融工作)(主管)?部门"
    r"|(县级以上|设区的市、县（市、区）|市、区县|市和县（市）区|各级)?人民政府(及其)?(有关部门)?|政府有关部门"
)
GIVES = re.compile(r"给予|予以|提供|安排|资助|补助|奖励|贴息")
