"""The side panel for the selected unit: partners, projects, figures per unit, sources."""

from __future__ import annotations

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
