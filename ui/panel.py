"""The side panel for the selected unit: partners, projects, figures per unit, sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES
from geo.i18n import Lang, t
from geo.query import figures_of, pairings_of, partner_status, projects_of, totals_by_unit
from layers.popups import figure_text, unit_name, when_text
from ui.md import md


def total_label(
    total_unit: str, at_least: bool, approximate: bool, quantity: float, lang: Lang
) -> str:
    qualifier = "余" if at_least else ("近" if approximate else "")
    return figure_text(quantity, total_unit, qualifier, lang)


def render_panel(atlas: Atlas, full: Atlas, code: str | None, lang: Lang) -> None:
    """``atlas`` is the filtered data, ``full`` the unfiltered (for names and statuses)."""
    if not code:
        st.info(t("panel_hint", lang))
        return
    row = full.units.set_index("code").loc[code]
    st.subheader(md(unit_name(full, code, lang)))
    level_name = t(f"level_name_{row['level']}", lang)
    st.caption(f"{t('panel_level', lang)}：{level_name} · {code}")
    if row["level"] == "township" and code not in set(full.areas["code"]):
        st.caption(t("panel_no_location", lang))

    st.markdown(f"**{t('panel_partners', lang)}**")
    pairs = pairings_of(atlas, code)
    for _, p in pairs.iterrows():
        level = t(f"level_{p['level']}", lang)
        since = f" · {p['start_date']}" if p["start_date"] else ""
        helper = md(unit_name(full, p["helper_code"], lang))
        partner = md(unit_name(full, p["partner_code"], lang))
        st.markdown(f"- {helper} → {partner} （{md(level + since)}）")
    if row["level"] == "township" and partner_status(full, code) == "not_published":
        st.warning(t("partner_not_published", lang))
    elif pairs.empty:
        st.caption(t("partner_unknown", lang))

    projects = projects_of(atlas, code)
    totals = totals_by_unit(figures_of(atlas, projects))
    if totals:
        st.markdown(f"**{t('panel_totals', lang)}**")
        st.markdown(
            " · ".join(
                md(total_label(x.unit, x.at_least, x.approximate, x.quantity, lang)) for x in totals
            )
        )
    st.markdown(f"**{t('panel_projects', lang)}**（{len(projects)}）")
    project_list(atlas, full, projects, lang)
    clear_button(lang)


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
                agreed = f" ({t('agreed', lang)})" if f["basis"] == "agreed" else ""
                measure = f["measure_zh"] if lang == "zh" else f["measure_en"]
                amount = figure_text(f["quantity"], f["unit"], f["qualifier"], lang) + agreed
                quote = f"{t('panel_quote', lang)}：“{md(f['quote'])}”"
                st.markdown(f"- **{md(amount)}** {md(measure)} — {quote}")
            if p["partner_note"]:
                st.caption(md(p["partner_note"]))
            st.markdown(f"> {md(p['quote'])}")
            src = sources.loc[p["source_id"]]
            st.caption(
                f"{t('source', lang)}："
                + md(f"{src['publisher']}《{src['title']}》{src['date']} {src['url']}")
            )


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
    totals = totals_by_unit(figures_of(atlas, projects))
    if totals:
        st.markdown(f"**{t('panel_totals', lang)}**")
        st.markdown(
            " · ".join(
                md(total_label(x.unit, x.at_least, x.approximate, x.quantity, lang)) for x in totals
            )
        )
    st.markdown(f"**{t('panel_projects', lang)}**（{len(projects)}）")
    project_list(atlas, full, projects, lang)
    src = full.sources.set_index("source_id").loc[p["source_id"]]
    where = f"{src['publisher']}《{src['title']}》{src['date']} {src['url']}"
    st.caption(f"{t('source', lang)}：" + md(where))
    clear_button(lang)
