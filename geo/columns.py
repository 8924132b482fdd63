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
ALIAS_CHANGES = ("renamed", "merged", "unresolved")

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
}
# Qualifiers kept from the text: "" exact, 余 "more than", 近 "nearly", 不少于 "at least".
QUALIFIERS: dict[str, tuple[str, str]] = {
    "": ("", ""),
    "余": ("余", "over"),
    "近": ("近", "nearly"),
    "不少于": ("不少于", "at least"),
}
# reported: done and counted; agreed: a commitment, shown but never added into totals.
FIGURE_BASES = ("reported", "agreed")
