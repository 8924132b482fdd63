"""The sources' headline statements (aggregates such as 8 <-> 9 townships), as one line."""

from __future__ import annotations

from geo.atlas import Atlas
from geo.detail import detail_names
from geo.i18n import Lang, colon, list_sep, source_text, t


def headline_text(atlas: Atlas, lang: Lang) -> str:
    """The aggregate statements of the sources, with their source, as one line."""
    agg = atlas.aggregates
    if agg.empty:
        return ""
    sources = atlas.sources.set_index("source_id")
    # Each statement is a sentence (ends with 。 or .): joined as sentences.
    statements = ("" if lang == "zh" else " ").join(
        agg["statement_zh" if lang == "zh" else "statement_en"]
    )
    cited = list_sep(lang).join(
        source_text(s["publisher"], s["title"], s["date"], lang)
        for _, s in sources.loc[sorted(set(agg["source_id"]))].iterrows()
    )
    return f"{t('agg_note', lang)}{colon(lang)}{statements} — {cited}"


def pairs_words(atlas: Atlas, lang: Lang) -> str:
    """The county pairs with township data, named from the data ("A ↔ B", short names)."""
    sep = "、" if lang == "zh" else ", "
    return sep.join(f"{a} ↔ {b}" for a, b in detail_names(atlas, lang))


def subtitle_text(atlas: Atlas, view: str, lang: Lang) -> str:
    """The page's subtitle for ``view``: the overview's, or the detail pairs' from the data."""
    if view == "overview":
        return t("app_subtitle_overview", lang)
    return t("app_subtitle", lang).format(pairs=pairs_words(atlas, lang))


def view_label(atlas: Atlas, view: str, lang: Lang) -> str:
    """The name of a view in the view switch and the exports."""
    if view == "overview":
        return t("view_overview", lang)
    return t("view_detail", lang).format(pairs=pairs_words(atlas, lang).replace(" ↔ ", "—"))


def not_published_text(atlas: Atlas, code: str, lang: Lang) -> str:
    """ "Partner not published", with the township-level statement that covers ``code``'s
    county (the statement says all are paired; the pairs are not listed)."""
    agg = atlas.aggregates
    county = code[:6]
    rows = agg[
        (agg["level"] == "township")
        & ((agg["helper_scope_code"] == county) | (agg["partner_scope_code"] == county))
    ]
    statement = " ".join(rows["statement_zh" if lang == "zh" else "statement_en"])
    return t("partner_not_published", lang).format(statement=statement)
