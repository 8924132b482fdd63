"""The sources' headline statements (aggregates such as 8 <-> 9 townships), as one line."""

from __future__ import annotations

from geo.atlas import Atlas
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
