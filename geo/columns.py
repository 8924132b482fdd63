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
# seen_at: where the text was read when that is not the publisher's own page (a re-post);
# optional (a table without it reads as all empty).
SOURCE_OPTIONAL_COLUMNS = ("seen_at",)
# research: the project's own research note (data/raw/research-county-pairs), cited where it
# states something without a page quote of its own (the Ganzi partners outside Chengdu).
SOURCE_KINDS = ("article", "dataset", "derived", "research")

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
# Optional columns (a table without them reads as all empty, as before issue 11):
# round: a key of ROUNDS, empty when no source places the pair in one round (a "since 2000"
# statement that runs across rounds); period_kind: how the period reads (PERIOD_KINDS);
# period_to: the end date of a "span"; note: how the row was read (bilingual text).
PAIRING_OPTIONAL_COLUMNS = ("round", "period_kind", "period_to", "note")
# since: from start_date, still running at the date of the source ("自2012年起");
# round: the source places the pair in its round only (the period is the round's span);
# span: from start_date to period_to, both stated. Empty: the start date alone, as before.
PERIOD_KINDS = ("since", "round", "span")

# The rounds of Chengdu's paired assistance to Ganzi, as the sources describe them:
# key -> (Chinese label, English label, first year, last year or None while it runs).
ROUNDS: dict[str, tuple[str, str, int, int | None]] = {
    "R1": ("第一轮 2012–2016（“7+20”）", "Round 1, 2012–2016 ('7+20')", 2012, 2016),
    # Round 2 began in 2016/17 (its five-year plans run from 2017); a pair whose source gives
    # an earlier start (青白江 from 2016-09) keeps that start.
    "R2": (
        "第二轮 2016/17–2020（脱贫攻坚）",
        "Round 2, 2016/17–2020 (poverty alleviation)",
        2017,
        2020,
    ),
    "R3": (
        "第三轮 2021年5月起（乡村振兴）",
        "Round 3, from May 2021 (rural revitalisation)",
        2021,
        None,
    ),
}
# A pair no source places in a single round (a "since YYYY" statement across rounds).
ROUND_NONE = "across"
ROUND_NONE_LABEL = ("跨轮次（“自某年起”）", "Across rounds ('since …')")
# Round filter keys (URL ``round=``): the rounds, then the pairs placed in none.
ROUND_KEYS = (*ROUNDS, ROUND_NONE)

# --- further evidence of a pairing (data/pairing_sources.csv) ----------------------------
# The pairing row carries its first source and quote; each further page that states the same
# pair in the same round is one row here.
PAIRING_SOURCE_COLUMNS = ("evidence_id", "pairing_id", "source_id", "quote", "note")

# --- functional zones (data/zones.csv) ---------------------------------------------------
# Units that pair like a county but are not NBS counties and have no polygon (成都高新区):
# drawn as a point whose position is only schematic (``position`` = schematic).
ZONE_COLUMNS = (
    "code",
    "name_zh",
    "name_en",
    "kind",
    "parent_code",
    "lon",
    "lat",
    "position",
    "source_id",
    "note",
)
ZONE_POSITIONS = ("schematic",)
ZONE_CODE_RE = r"[A-Z][A-Z0-9]{1,11}"

# --- Ganzi counties whose partner is outside Chengdu (data/outside_partners.csv) ---------
OUTSIDE_PARTNER_COLUMNS = (
    "row_id",
    "partner_code",
    "helper_name_zh",
    "helper_name_en",
    "round",
    "period_zh",
    "period_en",
    "source_id",
    "quote",
)

# --- figures stated for a whole pair (data/pair_figures.csv) -----------------------------
# Cumulative statements ("累计投入援藏资金2.78亿元"), each with its own source and period. Two
# sources about the same pair may disagree: both are kept and shown; they are never added up
# (each is already a total, over its own period).
PAIR_FIGURE_COLUMNS = (
    "figure_id",
    "pairing_id",
    "measure",
    "measure_zh",
    "measure_en",
    "quantity",
    "unit",
    "qualifier",
    "period_zh",
    "period_en",
    "source_id",
    "quote",
)

# --- aggregate statements (data/aggregates.csv) ------------------------------------------
# Optional: round (a key of ROUNDS, empty when the statement is not about one round). An
# aggregate about money or projects of a whole city leaves the counts (and the partner scope
# when the statement names none) empty.
AGGREGATE_OPTIONAL_COLUMNS = ("round",)
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
    "亿元": "×100 million yuan",
    "批": "batches",
}
# English reading of a unit whose Chinese word is a multiple: 20万元 reads "200,000 yuan".
UNIT_SCALE_EN: dict[str, tuple[float, str]] = {
    "万元": (10_000, "yuan"),
    "亿元": (100_000_000, "yuan"),
}

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
    # Whole-pair statements (pair_figures.csv): each a cumulative figure of its own source,
    # shown one by one, never added. 援藏资金, 项目资金 and 援建资金 are the pages' words for the
    # money put into a pair's assistance; the page's own word is kept in measure_zh.
    "funds_invested": ("投入帮扶资金", "assistance funds invested"),
    "projects_implemented": ("实施项目", "projects carried out"),
    "projects_completed": ("完工项目", "projects completed"),
    "cadres_sent": ("选派干部人才", "cadres and specialists sent"),
    "team_batches": ("派出工作队批次", "teams (batches) sent"),
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
