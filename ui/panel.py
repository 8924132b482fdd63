"""The side panel for the selected unit: partners, projects, figures per unit, sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES
from geo.i18n import Lang, colon, figure_line, in_lang, paren, source_text, t, total_text
from geo.query import (
    Total,
    descendants,
    figures_of,
    pairings_of,
    partner_status,
    projects_of,
    totals_by_measure,
)
from layers.popups import unit_name, when_text
from ui.md import md


def total_label(total: Total, lang: Lang) -> str:
    """A total with what it counts (one measure, one unit), plain text."""
    return total_text(total, lang)


def render_panel(atlas: Atlas, full: Atlas, code: str | None, lang: Lang) -> None:
    """``atlas`` is the filtered data, ``full`` the unfiltered (for names and statuses)."""
    if not code:
        st.info(t("panel_hint", lang))
        return
    row = full.units.set_index("code").loc[code]
    st.subheader(md(unit_name(full, code, lang)))
    level_name = t(f"level_name_{row['level']}", lang)
    st.caption(f"{t('panel_level', lang)}{colon(lang)}{level_name} · {code}")
    if row["level"] == "township" and code not in set(full.areas["code"]):
        st.caption(t("panel_no_location", lang))

    st.markdown(f"**{t('panel_partners', lang)}**")
    pairs = pairings_of(atlas, code)
    for _, p in pairs.iterrows():
        level = t(f"level_{p['level']}", lang)
        since = f" · {p['start_date']}" if p["start_date"] else ""
        helper = md(unit_name(full, p["helper_code"], lang))
        partner = md(unit_name(full, p["partner_code"], lang))
        st.markdown(f"- {helper} → {partner}{md(paren(level + since, lang))}")
    if row["level"] == "township" and partner_status(full, code) == "not_published":
        st.warning(t("partner_not_published", lang))
    elif pairs.empty:
        st.caption(t("partner_unknown", lang))

    projects = projects_of(atlas, code)
    totals_and_projects(atlas, full, projects, lang)
    context = context_of(atlas, code)
    if not context.empty:
        # About the place itself (明月村's own development, a meeting inside 甘溪镇): shown
        # apart, with their figures, never counted as pairing projects or added to totals.
        st.markdown(f"**{t('panel_context', lang)}**{paren(str(len(context)), lang)}")
        st.caption(t("panel_context_note", lang))
        project_list(atlas, full, context, lang)
    clear_button(lang)


def context_of(atlas: Atlas, code: str) -> pd.DataFrame:
    """Context rows (role ``context``) about ``code`` or a unit inside it."""
    inside = descendants(atlas, code)
    pr = atlas.projects
    return pr[(pr["role"] == "context") & pr["helper_code"].isin(inside)]


def totals_and_projects(atlas: Atlas, full: Atlas, projects: pd.DataFrame, lang: Lang) -> None:
    """Totals per measure (only like figures added), then the projects one by one."""
    totals = totals_by_measure(figures_of(atlas, projects))
    if totals:
        st.markdown(f"**{t('panel_totals', lang)}**")
        st.markdown("\n".join(f"- {md(total_label(x, lang))}" for x in totals))
    st.markdown(f"**{t('panel_projects', lang)}**{paren(str(len(projects)), lang)}")
    project_list(atlas, full, projects, lang)


def project_list(atlas: Atlas, full: Atlas, projects: pd.DataFrame, lang: Lang) -> None:
    """One expander per project: figures with their quotes, the project's quote and source."""
    if projects.empty:
        st.caption(t("no_projects", lang))
    sources = full.sources.set_index("source_id")
    for _, p in projects.iterrows():
        label = PROJECT_TYPES[p["type"]][0 if lang == "zh" else 1]
        title = p["title_zh"] if lang == "zh" else p["title_en"]
        with st.expander(f"{md(label)} · {md(title)} · {md(when_text(p, lang))}"):
            figs = atlas.figures[atlas.figures["project_id"] == p["project_id"]]
            for _, f in figs.iterrows():
                quote = f"{t('panel_quote', lang)}{colon(lang)}“{md(f['quote'])}”"
                st.markdown(f"- **{md(figure_line(f, lang))}** — {quote}")
            if p["partner_note"]:
                st.caption(md(in_lang(p["partner_note"], lang)))
            st.markdown(f"> {md(p['quote'])}")
            src = sources.loc[p["source_id"]]
            cited = source_text(src["publisher"], src["title"], src["date"], lang)
            st.caption(f"{t('source', lang)}{colon(lang)}" + md(f"{cited} {src['url']}"))


def clear_button(lang: Lang) -> None:
    """Clear the selection (unit or pair): the map and the page go back to the whole view."""
    if st.button(t("clear_selection", lang), key="clear_selection"):
        st.session_state["pending_unit"] = ""
        st.session_state["pending_pair"] = ""
        st.rerun()


def render_pair_panel(atlas: Atlas, full: Atlas, pairing_id: str, lang: Lang) -> None:
    """A selected link: its two ends, relation and date, the quote it rests on, its projects
    with figures and quotes, totals per measure and the sources (what the link's popup shows)."""
    pairs = full.pairings.set_index("pairing_id")
    p = pairs.loc[pairing_id]
    helper = md(unit_name(full, str(p["helper_code"]), lang))
    partner = md(unit_name(full, str(p["partner_code"]), lang))
    st.subheader(f"{helper} → {partner}")
    relation = p["relation_zh"] if lang == "zh" else p["relation_en"]
    since = f"{t('since', lang)} {p['start_date']}" if p["start_date"] else t("undated", lang)
    level = t(f"level_{p['level']}", lang)
    st.caption(md(f"{level} · {relation} · {since} · {pairing_id}"))
    st.markdown(f"> {md(p['quote'])}")
    if p["level"] == "village":
        st.caption(t("village_at_township", lang))
    projects = atlas.projects[
        (atlas.projects["pairing_id"] == pairing_id) & (atlas.projects["role"] == "pairing")
    ].sort_values(["year_from", "project_id"], na_position="last")
    totals_and_projects(atlas, full, projects, lang)
    src = full.sources.set_index("source_id").loc[str(p["source_id"])]
    cited = source_text(str(src["publisher"]), str(src["title"]), str(src["date"]), lang)
    st.caption(f"{t('source', lang)}{colon(lang)}" + md(f"{cited} {src['url']}"))
    clear_button(lang)
