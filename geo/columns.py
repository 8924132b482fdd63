"""Column names and vocabularies of the atlas tables: the one place they are defined.

See data/README.md for what each column means.
"""

from __future__ import annotations

# --- units (data/derived/units.csv) -------------------------------------------------------
UNIT_COLUMNS = (
    "code",
    "name_zh",
    "name_en",
    "kind",
    "level",
    "parent_code",
    "status",
    "nbs_name",
    "seat_lon",
    "seat_lat",
    "seat_source_id",
    "source_id",
    "note",
)
LEVELS = ("province", "prefecture", "county", "township", "village")
# Code length per level: NBS 统计用区划代码, 6 digits down to county, 12 below.
CODE_LENGTH = {"province": 6, "prefecture": 6, "county": 6, "township": 12, "village": 12}
UNIT_STATUSES = ("current", "abolished")

# --- aliases (data/derived/aliases.csv) ---------------------------------------------------
ALIAS_COLUMNS = (
    "alias_name",
    "alias_code",
    "last_edition",
    "current_code",
    "change",
    "evidence",
    "source_id",
)
# probable: the NBS data point to a successor without establishing it (shown as such, never used
# to resolve the old name).
ALIAS_CHANGES = ("renamed", "merged", "probable", "unresolved")

# --- sources (data/sources.csv) -----------------------------------------------------------
SOURCE_COLUMNS = ("source_id", "kind", "title", "publisher", "date", "url", "licence", "note")
SOURCE_KINDS = ("article", "dataset", "derived")

# --- pairings (data/pairings.csv) ---------------------------------------------------------
PAIRING_COLUMNS = (
    "pairing_id",
    "level",
    "helper_code",
    "partner_code",
    "relation_zh",
    "relation_en",
    "start_date",
    "start_precision",
    "source_id",
    "quote",
)
PAIRING_LEVELS = ("county", "township", "village")

# --- aggregate statements (data/aggregates.csv) ------------------------------------------
AGGREGATE_COLUMNS = (
    "fact_id",
    "level",
    "helper_scope_code",
    "helper_count",
    "partner_scope_code",
    "partner_count",
    "statement_zh",
    "statement_en",
    "source_id",
    "quote",
)

# --- projects (data/projects.csv) ---------------------------------------------------------
PROJECT_COLUMNS = (
    "project_id",
    "role",
    "pairing_id",
    "type",
    "title_zh",
    "title_en",
    "helper_code",
    "partner_code",
    "partner_note",
    "date",
    "date_precision",
    "year_from",
    "year_to",
    "source_id",
    "quote",
    "note",
)
PROJECT_ROLES = ("pairing", "context")
DATE_PRECISIONS = ("day", "month", "year", "period", "undated")

# Project types: key -> (Chinese label, English label). The controlled vocabulary.
PROJECT_TYPES: dict[str, tuple[str, str]] = {
    "industry": ("产业", "Industry"),
    "ecommerce": ("电商", "E-commerce"),
    "training": ("培训/人才", "Training & talent"),
    "party": ("党建", "Party building"),
    "culture_tourism": ("文旅", "Culture & tourism"),
    "employment": ("就业", "Employment"),
    "donation": ("援赠/基础设施", "Donations & infrastructure"),
    "social": ("社会力量/企业参与", "Enterprise & social participation"),
}

# --- figures (data/figures.csv) -----------------------------------------------------------
FIGURE_COLUMNS = (
    "figure_id",
    "project_id",
    "measure",
    "measure_zh",
    "measure_en",
    "quantity",
    "unit",
    "qualifier",
    "basis",
    "quote",
)
# Units of measure: key (as written in Chinese) -> English label. Never added across units.
UNITS: dict[str, str] = {
    "亩": "mu",
    "万元": "×10,000 yuan",
    "人": "people",
    "人次": "person-times",
    "次": "times",
    "场次": "sessions",
    "件": "items",
    "个": "units",
    "条": "items",
}
# English reading of a unit whose Chinese word is a multiple: 20万元 reads "200,000 yuan".
UNIT_SCALE_EN: dict[str, tuple[float, str]] = {"万元": (10_000, "yuan")}

# What a figure counts: key -> (Chinese label, English label). The controlled vocabulary.
# Totals add figures only of the same measure AND unit: 10 cadres hosted and 500 people reached
# by training are both 人 but never one number. Order = display order (people, activities,
# land, money, things; then the context measures about 明月村 itself).
MEASURES: dict[str, tuple[str, str]] = {
    "cadres_hosted": ("接待来访干部", "cadres hosted"),
    "trainers_sent": ("派出培训和指导人员", "trainers and experts sent"),
    "people_reached": ("培训直接受众", "people reached by training"),
    "beneficiaries": ("受益干部群众", "cadres and villagers benefiting"),
    # The article counts these two differently (10余次 of trainings *and* on-site guidance by
    # the county; 14场次 of trainings in 海子环环村): two measures, so no line suggests a sum.
    "training_guidance": ("专题培训和现场指导", "trainings and on-site guidance"),
    "training_sessions": ("培训场次", "training sessions"),
    "events": ("活动", "events"),
    "job_postings": ("岗位招募信息", "job postings"),
    "paths_proposed": ("指明发展路径", "development paths proposed"),
    "orchard_area": ("指导建园面积", "orchard area guided"),
    "planted_area": ("规模种植面积", "area planted"),
    "leased_forest": ("租用山林面积", "forest leased"),
    "goods_donated": ("援赠生产资料", "means of production donated"),
    "items_exhibited": ("展示文创产品", "creative products exhibited"),
    "projects_brought_in": ("引进文创项目", "creative projects brought in"),
    "new_villagers": ("“新村民”", "new villagers"),
    "businesses": ("文旅业态", "tourism businesses"),
}
# Qualifiers kept from the text: "" exact, 余 "more than", 近 "nearly", 不少于 "at least";
# 约 "about" is what a total of 余 and 近 figures together is (it may be higher or lower).
QUALIFIERS: dict[str, tuple[str, str]] = {
    "": ("", ""),
    "余": ("余", "over"),
    "近": ("近", "nearly"),
    "不少于": ("不少于", "at least"),
    "约": ("约", "about"),
}
# reported: done and counted; agreed: a commitment, shown but never added into totals.
FIGURE_BASES = ("reported", "agreed")
