"""A small, realistic demo book of business (Chinese and English names).

Every company status, value and intent class, lifecycle stage, company tier, person tier,
relationship level, buying role, seniority and communication style occurs at least once, and
there are referral chains of companies and of people. Keys are external ids ("demo:...").
"""

from __future__ import annotations

from typing import Any

# (key, fields)
COMPANIES: list[tuple[str, dict[str, Any]]] = [
    (
        "guanxi",
        {
            "name": "关系科技 Guanxi Technology",
            "industry": "Software",
            "region": "Shanghai",
            "isOurs": True,
            "status": "CURRENT",
        },
    ),
    (
        "guanxi-sz",
        {
            "name": "关系科技（深圳）Guanxi Shenzhen",
            "industry": "Software",
            "region": "Shenzhen",
            "isOurs": True,
            "status": "CURRENT",
        },
    ),
    (
        "huadong",
        {
            "name": "华东精密制造 East China Precision",
            "industry": "Manufacturing",
            "region": "Suzhou",
            "status": "CURRENT",
            "valueClass": "A",
            "intentClass": "A",
            "lifecycleStage": "STABILITY",
        },
    ),
    (
        "beichen",
        {
            "name": "北辰物流 Beichen Logistics",
            "industry": "Logistics",
            "region": "Tianjin",
            "status": "CURRENT",
            "valueClass": "B",
            "intentClass": "B",
            "lifecycleStage": "FORMATION",
        },
    ),
    (
        "northwind",
        {
            "name": "Northwind Retail",
            "industry": "Retail",
            "region": "Hong Kong",
            "status": "TARGET",
            "valueClass": "C",
            "intentClass": "C",
            "lifecycleStage": "EXPLORATION",
        },
    ),
    (
        "jinshan",
        {
            "name": "金山医疗 Jinshan Healthcare",
            "industry": "Healthcare",
            "region": "Hangzhou",
            "status": "CHURNED",
            "valueClass": "B",
            "intentClass": "D",
            "lifecycleStage": "DECLINE",
        },
    ),
    (
        "harbor",
        {
            "name": "Harbor Bank",
            "industry": "Finance",
            "region": "Singapore",
            "status": "WON_BACK",
            "valueClass": "A",
            "intentClass": "B",
            "lifecycleStage": "STABILITY",
        },
    ),
    (
        "lanhai",
        {
            "name": "蓝海能源 Blue Ocean Energy",
            "industry": "Energy",
            "region": "Qingdao",
            "status": "PROSPECT",
            "valueClass": "C",
            "intentClass": "C",
            "lifecycleStage": "EXPLORATION",
        },
    ),
    (
        "summit",
        {
            "name": "Summit Consulting",
            "industry": "Consulting",
            "region": "Beijing",
            "status": "CURRENT",
            "valueClass": "B",
            "intentClass": "A",
            "lifecycleStage": "FORMATION",
        },
    ),
]

PEOPLE: list[tuple[str, dict[str, Any]]] = [
    # ours
    (
        "lina",
        {
            "name": "李娜",
            "email": "li.na@guanxi.example",
            "communicationStyle": "DRIVER",
            "notes": "Account director for manufacturing and logistics.",
        },
    ),
    (
        "wanghao",
        {
            "name": "王浩 Wang Hao",
            "email": "wang.hao@guanxi.example",
            "communicationStyle": "EXPRESSIVE",
        },
    ),
    (
        "emily",
        {
            "name": "Emily Chen",
            "email": "emily.chen@guanxi.example",
            "communicationStyle": "ANALYTICAL",
        },
    ),
    (
        "zhanglei",
        {
            "name": "张磊",
            "email": "zhang.lei@guanxi.example",
            "communicationStyle": "AMIABLE",
            "notes": "CEO of Guanxi Technology.",
        },
    ),
    (
        "tom",
        {
            "name": "Tom Becker",
            "email": "tom.becker@guanxi.example",
            "communicationStyle": "DRIVER",
        },
    ),
    # East China Precision
    ("zhouqiang", {"name": "周强", "wechat": "zhouqiang_hd", "communicationStyle": "DRIVER"}),
    ("liumin", {"name": "刘敏", "communicationStyle": "ANALYTICAL"}),
    ("sunli", {"name": "孙丽", "communicationStyle": "AMIABLE"}),
    (
        "david",
        {
            "name": "David Miller",
            "email": "d.miller@huadong.example",
            "communicationStyle": "ANALYTICAL",
        },
    ),
    # Beichen Logistics
    ("chenjing", {"name": "陈静", "communicationStyle": "EXPRESSIVE"}),
    ("huangwei", {"name": "黄伟", "communicationStyle": "DRIVER"}),
    ("yangfan", {"name": "杨帆", "communicationStyle": "AMIABLE"}),
    # Northwind Retail
    (
        "sarah",
        {
            "name": "Sarah Wong",
            "email": "sarah.wong@northwind.example",
            "communicationStyle": "EXPRESSIVE",
        },
    ),
    ("kevin", {"name": "Kevin Lau", "communicationStyle": "ANALYTICAL"}),
    # Jinshan Healthcare, then Harbor Bank
    (
        "wujun",
        {
            "name": "吴军",
            "communicationStyle": "DRIVER",
            "notes": "Left Jinshan Healthcare for Harbor Bank in 2024.",
        },
    ),
    ("zhaoyan", {"name": "赵燕", "communicationStyle": "AMIABLE"}),
    # Harbor Bank
    (
        "priya",
        {
            "name": "Priya Nair",
            "email": "priya.nair@harbor.example",
            "communicationStyle": "ANALYTICAL",
        },
    ),
    ("james", {"name": "James Tan", "communicationStyle": "EXPRESSIVE"}),
    # Blue Ocean Energy
    ("maxiaoming", {"name": "马晓明", "communicationStyle": "AMIABLE"}),
    # Summit Consulting
    ("anna", {"name": "Anna Schmidt", "communicationStyle": "EXPRESSIVE"}),
]

# (key, person, company, fields)
ROLES: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "lina",
        "lina",
        "guanxi",
        {
            "title": "客户总监 Account Director",
            "department": "Sales",
            "seniority": "SENIOR",
            "startDate": "2018-03-01",
        },
    ),
    (
        "wanghao",
        "wanghao",
        "guanxi",
        {
            "title": "Sales Manager",
            "department": "Sales",
            "seniority": "MIDDLE",
            "startDate": "2020-06-15",
        },
    ),
    (
        "emily",
        "emily",
        "guanxi",
        {
            "title": "Solutions Architect",
            "department": "Presales",
            "seniority": "MIDDLE",
            "startDate": "2019-09-01",
        },
    ),
    (
        "zhanglei",
        "zhanglei",
        "guanxi",
        {
            "title": "首席执行官 CEO",
            "department": "Management",
            "seniority": "EXECUTIVE",
            "startDate": "2015-01-01",
        },
    ),
    (
        "tom",
        "tom",
        "guanxi-sz",
        {
            "title": "Sales Engineer",
            "department": "Sales",
            "seniority": "STAFF",
            "startDate": "2022-02-01",
        },
    ),
    (
        "zhouqiang",
        "zhouqiang",
        "huadong",
        {
            "title": "总经理 General Manager",
            "department": "Management",
            "seniority": "EXECUTIVE",
            "buyingRole": "DECISION_MAKER",
            "isKeyPerson": True,
            "startDate": "2016-05-01",
        },
    ),
    (
        "liumin",
        "liumin",
        "huadong",
        {
            "title": "IT Director",
            "department": "IT",
            "seniority": "SENIOR",
            "buyingRole": "INFLUENCER",
            "isKeyPerson": True,
            "startDate": "2017-08-01",
        },
    ),
    (
        "sunli",
        "sunli",
        "huadong",
        {
            "title": "采购经理 Procurement Manager",
            "department": "Procurement",
            "seniority": "MIDDLE",
            "buyingRole": "GATEKEEPER",
            "isKeyPerson": True,
            "startDate": "2019-01-01",
        },
    ),
    (
        "david",
        "david",
        "huadong",
        {
            "title": "Plant Engineer",
            "department": "Operations",
            "seniority": "STAFF",
            "buyingRole": "USER",
            "startDate": "2021-04-01",
        },
    ),
    (
        "chenjing",
        "chenjing",
        "beichen",
        {
            "title": "首席运营官 COO",
            "department": "Operations",
            "seniority": "EXECUTIVE",
            "buyingRole": "DECISION_MAKER",
            "isKeyPerson": True,
            "startDate": "2014-01-01",
        },
    ),
    (
        "huangwei",
        "huangwei",
        "beichen",
        {
            "title": "财务总监 CFO",
            "department": "Finance",
            "seniority": "EXECUTIVE",
            "buyingRole": "BLOCKER",
            "isKeyPerson": True,
            "startDate": "2018-07-01",
        },
    ),
    (
        "yangfan",
        "yangfan",
        "beichen",
        {
            "title": "Digital Lead",
            "department": "IT",
            "seniority": "MIDDLE",
            "buyingRole": "CHAMPION",
            "isKeyPerson": True,
            "startDate": "2021-03-01",
        },
    ),
    (
        "sarah",
        "sarah",
        "northwind",
        {
            "title": "Chief Operating Officer",
            "department": "Operations",
            "seniority": "EXECUTIVE",
            "buyingRole": "DECISION_MAKER",
            "isKeyPerson": True,
            "startDate": "2019-11-01",
        },
    ),
    (
        "kevin",
        "kevin",
        "northwind",
        {
            "title": "Head of IT",
            "department": "IT",
            "seniority": "SENIOR",
            "buyingRole": "INFLUENCER",
            "isKeyPerson": True,
            "startDate": "2020-02-01",
        },
    ),
    (
        "wujun-jinshan",
        "wujun",
        "jinshan",
        {
            "title": "信息中心主任 Head of IT",
            "department": "IT",
            "seniority": "SENIOR",
            "buyingRole": "CHAMPION",
            "isKeyPerson": True,
            "startDate": "2017-01-01",
            "endDate": "2024-03-31",
        },
    ),
    (
        "zhaoyan",
        "zhaoyan",
        "jinshan",
        {
            "title": "院长助理 Assistant to the President",
            "department": "Management",
            "seniority": "SENIOR",
            "buyingRole": "GATEKEEPER",
            "isKeyPerson": True,
            "startDate": "2016-06-01",
        },
    ),
    (
        "wujun-harbor",
        "wujun",
        "harbor",
        {
            "title": "VP Technology",
            "department": "Technology",
            "seniority": "EXECUTIVE",
            "buyingRole": "DECISION_MAKER",
            "isKeyPerson": True,
            "startDate": "2024-04-01",
        },
    ),
    (
        "priya",
        "priya",
        "harbor",
        {
            "title": "Head of Procurement",
            "department": "Procurement",
            "seniority": "SENIOR",
            "buyingRole": "INFLUENCER",
            "isKeyPerson": True,
            "startDate": "2018-01-01",
        },
    ),
    (
        "james",
        "james",
        "harbor",
        {
            "title": "Operations Analyst",
            "department": "Operations",
            "seniority": "STAFF",
            "buyingRole": "USER",
            "startDate": "2022-05-01",
        },
    ),
    (
        "maxiaoming",
        "maxiaoming",
        "lanhai",
        {
            "title": "董事长 Chairman",
            "department": "Management",
            "seniority": "EXECUTIVE",
            "buyingRole": "DECISION_MAKER",
            "isKeyPerson": True,
            "startDate": "2010-01-01",
        },
    ),
    (
        "anna",
        "anna",
        "summit",
        {
            "title": "Managing Partner",
            "department": "Management",
            "seniority": "EXECUTIVE",
            "buyingRole": "DECISION_MAKER",
            "isKeyPerson": True,
            "startDate": "2012-01-01",
        },
    ),
]

# (key, from person, to person, fields)
RELATIONSHIPS: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "lina-zhouqiang",
        "lina",
        "zhouqiang",
        {"tier": "CONFIDANT", "strength": 0.92, "level": "VISION", "since": "2016-09-01"},
    ),
    (
        "lina-liumin",
        "lina",
        "liumin",
        {"tier": "FRIEND", "strength": 0.74, "level": "EMOTION", "since": "2018-02-01"},
    ),
    (
        "emily-liumin",
        "emily",
        "liumin",
        {"tier": "FRIEND", "strength": 0.66, "level": "VALUE", "since": "2019-10-01"},
    ),
    (
        "wanghao-sunli",
        "wanghao",
        "sunli",
        {"tier": "ACQUAINTANCE", "strength": 0.41, "level": "TRUST", "since": "2021-01-15"},
    ),
    (
        "zhanglei-zhouqiang",
        "zhanglei",
        "zhouqiang",
        {"tier": "FRIEND", "strength": 0.7, "level": "EMOTION", "since": "2017-03-01"},
    ),
    (
        "lina-chenjing",
        "lina",
        "chenjing",
        {"tier": "FRIEND", "strength": 0.68, "level": "VALUE", "since": "2019-05-01"},
    ),
    (
        "wanghao-yangfan",
        "wanghao",
        "yangfan",
        {"tier": "FRIEND", "strength": 0.62, "level": "TRUST", "since": "2021-06-01"},
    ),
    (
        "wanghao-huangwei",
        "wanghao",
        "huangwei",
        {"tier": "PASSER_BY", "strength": 0.12, "level": "TRUST", "since": "2022-09-01"},
    ),
    (
        "tom-kevin",
        "tom",
        "kevin",
        {"tier": "ACQUAINTANCE", "strength": 0.35, "level": "TRUST", "since": "2023-04-01"},
    ),
    (
        "emily-wujun",
        "emily",
        "wujun",
        {"tier": "CONFIDANT", "strength": 0.88, "level": "EMOTION", "since": "2017-06-01"},
    ),
    (
        "wanghao-zhaoyan",
        "wanghao",
        "zhaoyan",
        {"tier": "PASSER_BY", "strength": 0.08, "since": "2020-01-01"},
    ),
    (
        "zhanglei-priya",
        "zhanglei",
        "priya",
        {"tier": "ACQUAINTANCE", "strength": 0.45, "level": "VALUE", "since": "2024-05-01"},
    ),
    (
        "zhanglei-anna",
        "zhanglei",
        "anna",
        {"tier": "CONFIDANT", "strength": 0.9, "level": "VISION", "since": "2012-06-01"},
    ),
    # their people know each other: paths for introductions
    (
        "chenjing-sarah",
        "chenjing",
        "sarah",
        {"tier": "FRIEND", "strength": 0.71, "level": "EMOTION", "since": "2015-01-01"},
    ),
    (
        "zhouqiang-maxiaoming",
        "zhouqiang",
        "maxiaoming",
        {"tier": "FRIEND", "strength": 0.64, "level": "TRUST", "since": "2011-01-01"},
    ),
    (
        "anna-chenjing",
        "anna",
        "chenjing",
        {"tier": "ACQUAINTANCE", "strength": 0.5, "level": "VALUE", "since": "2016-01-01"},
    ),
    (
        "wujun-james",
        "wujun",
        "james",
        {"tier": "ACQUAINTANCE", "strength": 0.3, "since": "2024-04-15"},
    ),
]

# (key, from company, to company, fields)
COMPANY_RELATIONSHIPS: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "guanxi-huadong",
        "guanxi",
        "huadong",
        {
            "tier": "PARTNERSHIP",
            "strength": 0.85,
            "lifecycleStage": "STABILITY",
            "since": "2016-10-01",
        },
    ),
    (
        "guanxi-beichen",
        "guanxi",
        "beichen",
        {
            "tier": "PREFERRED_SUPPLIER",
            "strength": 0.6,
            "lifecycleStage": "FORMATION",
            "since": "2019-08-01",
        },
    ),
    (
        "guanxi-northwind",
        "guanxi",
        "northwind",
        {
            "tier": "TRANSACTIONAL",
            "strength": 0.2,
            "lifecycleStage": "EXPLORATION",
            "since": "2024-01-01",
        },
    ),
    (
        "guanxi-jinshan",
        "guanxi",
        "jinshan",
        {
            "tier": "TRANSACTIONAL",
            "strength": 0.15,
            "lifecycleStage": "DECLINE",
            "since": "2017-05-01",
        },
    ),
    (
        "guanxi-harbor",
        "guanxi",
        "harbor",
        {
            "tier": "STRATEGIC_ALLIANCE",
            "strength": 0.8,
            "lifecycleStage": "STABILITY",
            "since": "2018-02-01",
        },
    ),
    (
        "guanxi-summit",
        "guanxi",
        "summit",
        {
            "tier": "PARTNERSHIP",
            "strength": 0.75,
            "lifecycleStage": "FORMATION",
            "since": "2013-01-01",
        },
    ),
]

# (key, referrer, referred, fields); party keys are "co:<company>" or "pe:<person>"
REFERRALS: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "summit-beichen",
        "co:summit",
        "co:beichen",
        {"date": "2019-06-01", "note": "Summit recommended us for Beichen's WMS project."},
    ),
    (
        "beichen-northwind",
        "co:beichen",
        "co:northwind",
        {"date": "2023-11-20", "note": "陈静 told Northwind about our rollout at Beichen."},
    ),
    (
        "northwind-lanhai",
        "co:northwind",
        "co:lanhai",
        {"date": "2025-03-10", "note": "Northwind's supplier day; Blue Ocean asked for a demo."},
    ),
    (
        "huadong-lanhai",
        "co:huadong",
        "co:lanhai",
        {"date": "2025-05-05", "note": "周强 introduced his friend 马晓明."},
    ),
    (
        "anna-chenjing",
        "pe:anna",
        "pe:chenjing",
        {"date": "2019-05-20", "note": "Anna put 李娜 in touch with 陈静."},
    ),
    (
        "chenjing-sarah",
        "pe:chenjing",
        "pe:sarah",
        {"date": "2023-11-18", "note": "Introduced Sarah Wong to 李娜 at a logistics forum."},
    ),
    (
        "wujun-harbor",
        "pe:wujun",
        "co:harbor",
        {"date": "2024-04-20", "note": "吴军 brought us back into Harbor Bank after his move."},
    ),
]
