"""Which article offers what to whom: facts read from the text once, at ingest.

`tags_for(article)` returns "key:value" strings the matcher and the filters use, so a
query never has to guess them:

  support:<kind>    what is offered: 贴息, 奖补, 担保费补贴, 风险补偿, 保费补贴, 基金投资 …
  who:<target>      who is named: 科技型中小企业, 专精特新企业, 轻资产企业, 金融机构 …
  need:<need>       which company need it speaks to: 贷款, 信用贷, 首贷, 上市, 担保 …
  industry:<name>   an industry the text names: 电子信息, 装备制造, 生物医药, 先进材料 …
  stage:<stage>     a life-cycle stage it names: 种子期, 初创期, 成长期, 成熟期, 全周期
  audience:<who>    who acts on it: enterprise (a company can apply for / benefit from it),
                    institution (an instruction to banks, insurers, investors), government
  concrete:yes|no   does it state an amount, rate, percentage, limit or period
  condition:unstated  it says 符合条件的 / 按规定 without saying what the conditions are
  ref:<文号>        another document it defers to for the details (苏府〔2021〕53号)
  topic:机构内部管理  a bank's own staff rules (尽职免责, 不良容忍度, 考核): never shown to companies

The rules are regular expressions over the cleaned text, checked against the seed
articles in tests/test_tags.py. They are written for Jiangsu/Suzhou 科技金融 policies;
a new kind of document may need new wording added to the tables below.
"""

from __future__ import annotations

import re

from ingest.audience import INTERNAL, audience_of, clauses, object_is_institution
from ingest.record import Article
from ingest.references import doc_numbers_in

# Records that carry no offer: the covering notice and the print line.
NO_TAGS_KINDS = ("notice", "colophon")

SUPPORT = {  # kind -> wording; kinds in the order the matcher shows its groups
    "贴息": r"贴息",
    "保费补贴": r"(?<!担)保费[^。；]{0,12}(补贴|补助)|保险等费用补贴",
    "担保费补贴": r"担保费(用)?补贴|担保、保险等费用补贴",
    "奖补": r"奖补|奖励政策|给予[^。；]{0,8}奖励|予以奖励|补助|资助",
    "风险补偿": r"风险补偿|代偿补偿",
    "基金投资": r"股权投资|创业投资|天使投资|引导基金|母基金|投资基金|产业基金|发展基金|投贷联动|投贷同步|直投",
    "上市培育": r"上市培育|上市后备|培育库|育林计划|挂牌|登陆资本市场|上市服务",
    "债券融资": r"债券|发债|集合债",
    "信贷产品": r"“[^”]{1,10}贷”|信贷产品|信用贷|首贷|首次贷款|并购贷款|中长期贷款|再贷款|融资租赁",
    "增信担保": r"增信|融资担保|担保计划|信用增进",
    "科技保险": r"科技保险|科创保|研发费用损失保险|首台（套）[^。；]{0,8}保险|新材料首批次保险",
    "人才支持": r"人才公寓|人才社区|人才计划|领军人才|顶尖[^。；]{0,4}人才|高层次人才|专门保障|特殊支持",
    "用地保障": r"用地|供地",
    "跨境便利": r"跨境|便利化业务|外汇",
    "服务对接": r"一站式|对接|路演|服务专员|保姆式|综合金融服务|融资服务|服务平台|免费诊断|公共服务",
}

WHO = {  # target -> wording
    "科技型中小企业": r"科技型中小企业|小微型科技型企业",
    "科技型企业": r"科技型[^。；，]{0,4}企业|科技企业|科技创新企业|科创型|硬科技",
    "高新技术企业": r"高新技术企业",
    "专精特新企业": r"专精特新",
    "专精特新“小巨人”企业": r"小巨人",
    "瞪羚企业": r"瞪羚",
    "独角兽培育企业": r"独角兽",
    "上市后备企业": r"上市后备|培育库|上市培育",
    "上市公司": r"上市公司",
    "领军企业": r"领军企业|龙头企业|链主|单项冠军|地标企业",
    "制造业企业": r"制造业",
    "制造业中小企业": r"制造业[^。；，]{0,2}(中小|小微)",
    "小微企业": r"小微|中小微",
    "轻资产企业": r"轻资产",
    "无贷企业": r"无贷|首贷|首次贷款",
    "领军人才": r"领军人才|战略科学家|顶尖[^。；]{0,4}人才|创新团队|人才团队|高层次[^。；]{0,4}人才",
    "科技招商项目": r"招商项目|科技项目",
    "金融机构": r"银行|金融机构|保险机构|保险公司|担保机构|金融租赁",
    "投资机构": r"投资机构|金融资产投资公司|AIC|基金管理人|私募",
    "科研机构": r"高校|高等院校|科研机构|科研院所|大院大所|新型研发机构|实验室",
    "孵化载体": r"孵化器|孵化载体|众创空间|加速器|科创载体",
}

NEED = {  # need -> wording
    "贷款": r"贷款|信贷|授信|放贷|“[^”]{1,10}贷”|首贷|信用贷",
    "信用贷": r"信用贷|信用融资|信保贷|无抵押|积分贷|科创指数贷",
    "首贷": r"首贷|首次贷款|无贷",
    "股权投资": r"股权投资|创业投资|天使投资|风险投资|投贷联动|投贷同步|直投|早期投资|投早|投向",
    "上市": r"上市|挂牌|资本市场|北交所|科创板|股转",
    "债券": r"债券|发债|集合债|科创债",
    "保险": r"保险|(?<!担)保费|共保体",
    "担保": r"担保|增信",
    "设备更新": r"设备更新|技术改造|技改|设备担|智能化改造|融资租赁",
    "数字化转型": r"数字化转型|智改数转",
    "人才": r"人才(?!队伍)|引才|招才|科学家|工程师",
    "用地": r"用地|供地",
    "知识产权质押": r"知识产权[^。；]{0,6}(质押|押品|证券化|融资)",
    "并购": r"并购|兼并重组",
    "跨境金融": r"跨境|外汇|外贸|出口信用|QFLP|QDLP",
    "供应链融资": r"供应链(融资|金融)|应收账款|产业链金融",
    "续贷": r"续贷",
    "再融资": r"再融资|配股|增发|可转换债券",
}

INDUSTRY = {  # industry -> wording; the four are Suzhou's 四大主导产业
    "电子信息": r"电子信息|集成电路|半导体|芯片|人工智能|软件|信息技术|移动通信|大数据|云计算|区块链|工业互联网",
    "装备制造": r"装备制造|高端装备|智能装备|重大技术装备|首台（套）|机器人|航空航天|商业航天|低空经济|数控",
    "生物医药": r"生物医药|生物药|医疗器械|生物制造|小核酸|大健康|医学装备",
    "先进材料": r"先进材料|新材料|纳米|声功能材料|材料国家实验室|功能纤维",
    "新能源": r"新能源|储能|氢能|核聚变",
    "未来产业": r"未来产业|量子|脑机接口|具身智能",
    "制造业": r"制造业",
}
FOUR_INDUSTRIES = r"四大主导产业|4大产业创新集群|四大产业"

STAGE = {
    "种子期": r"种子期",
    "初创期": r"初创期|初创企业|早期投资|投早",
    "成长期": r"成长期",  # not 高成长: "high-growth" praises a company, it names no stage
    "成熟期": r"成熟期",
    "全周期": r"全生命周期|全周期",
}

TABLES = (("who", WHO), ("need", NEED), ("industry", INDUSTRY), ("stage", STAGE))

# A stated amount, rate, percentage, limit or period (not a target like 到2025年…).
FIGURE = re.compile(
    r"\d+(\.\d+)?\s*(%|％|个百分点|倍|万元|亿元|元)|最长[^。；]{0,6}\d|不超过|最高|上限|不低于"
    r"|按[^。；]{0,8}(比例|标准)|(?<!\d)\d{1,2}\s*(年|个月)(?![末底度])"
)
TARGET = re.compile(
    r"到\d{4}\s*年|力争|累计|新增|年度[^。；]{0,6}数|目标|超\s*\d|\d+\s*[家户个只人]以上|左右"
)
UNSTATED_CONDITION = re.compile(r"符合(政策)?条件|按规定|按程序")


def tags_for(article: Article) -> tuple[str, ...]:
    """Every fact the rules find in one article, sorted, no duplicates.

    >>> from ingest.record import DocMeta
    >>> doc = DocMeta("d", "f", "某意见")
    >>> a = Article("c", doc, "article", (), ("1",), "h", "省财政对符合条件的科技创新企业首贷予以贴息。")
    >>> [t for t in tags_for(a) if t.startswith(("support", "audience", "need:首贷"))]
    ['audience:enterprise', 'need:首贷', 'support:信贷产品', 'support:贴息']
    """
    if article.kind in NO_TAGS_KINDS:
        return ()
    text = article.text
    tags = {f"{key}:{value}" for key, table in TABLES for value in matching(table, text)}
    tags |= {f"support:{kind}" for kind in support_kinds(text)}
    if re.search(FOUR_INDUSTRIES, text):
        tags |= {f"industry:{name}" for name in ("电子信息", "装备制造", "生物医药", "先进材料")}
    audience = audience_of(text)
    tags.add(f"audience:{audience}")
    tags.add(f"concrete:{'yes' if is_concrete(text) else 'no'}")
    if UNSTATED_CONDITION.search(text):
        tags.add("condition:unstated")
    if audience != "enterprise" and len(INTERNAL.findall(text)) >= 2:
        tags.add("topic:机构内部管理")
    own = article.doc.doc_number
    tags |= {f"ref:{ref}" for ref in doc_numbers_in(text) if ref != own}
    return tuple(sorted(tags))


def matching(table: dict[str, str], text: str) -> list[str]:
    """Keys of `table` whose wording occurs in `text`, in table order.

    >>> matching({"首贷": "首贷|首次贷款", "担保": "担保"}, "支持无贷企业获得首次贷款")
    ['首贷']
    """
    return [key for key, pattern in table.items() if re.search(pattern, text)]


def support_kinds(text: str) -> list[str]:
    """Support kinds offered, leaving out money paid to a bank or fund.

    >>> support_kinds("省财政对投资江苏企业成效显著的AIC给予奖补。实施“设备担”担保费补贴政策。")
    ['担保费补贴']
    """
    found: list[str] = []
    for clause in clauses(text):
        if not object_is_institution(clause):
            found += [k for k in matching(SUPPORT, clause) if k not in found]
    return [k for k in SUPPORT if k in found]


def is_concrete(text: str) -> bool:
    """Does any clause state a figure, limit or period that is not a target?

    >>> is_concrete("支持银行机构适当延长流动资金贷款期限，最长可达到5年。")
    True
    >>> is_concrete("总体目标。到2025年，新增科技上市企业100家以上。")
    False
    >>> is_concrete("鼓励银行机构加大支持力度。")
    False
    """
    parts = clauses(text)
    if parts and "目标" in parts[0]:
        return False
    return any(FIGURE.search(c) and not TARGET.search(c) for c in parts)
