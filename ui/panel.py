"""The side panel for the selected unit: partners, projects, figures per unit, sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES, ROUND_KEYS
from geo.detail import detail_counties
from geo.headline import not_published_text
from geo.i18n import Lang, colon, figure_line, in_lang, paren, source_text, t, total_text
from geo.periods import period_text, round_key, round_label
from geo.query import (
    Total,
    descendants,
    evidence_of,
    figures_of,
    outside_partners_of,
    pair_figures_of,
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
    st.caption(f"{t('panel_level', lang)}{colon(lang)}{level_name} · {md(code)}")
    if row["level"] == "township" and code not in set(full.areas["code"]):
        st.caption(t("panel_no_location", lang))
    if row["level"] == "zone":
        st.caption(md(in_lang(str(row["note"]), lang)))
    if row["level"] in ("county", "zone"):
        county_section(atlas, full, code, lang)

    pairs = pairings_of(atlas, code)
    top = row["level"] in ("county", "zone")
    pairs = pairs[pairs["level"] != "county"] if top else pairs
    if not (top and pairs.empty):  # a county's own pairs are listed by round above
        st.markdown(f"**{t('panel_partners', lang)}**")
    for _, p in pairs.iterrows():
        level = t(f"level_{p['level']}", lang)
        since = f" · {p['start_date']}" if p["start_date"] else ""
        helper = md(unit_name(full, p["helper_code"], lang))
        partner = md(unit_name(full, p["partner_code"], lang))
        st.markdown(f"- {helper} → {partner}{md(paren(level + since, lang))}")
    if row["level"] == "township" and partner_status(full, code) == "not_published":
        st.warning(md(not_published_text(full, code, lang)))
    elif pairs.empty and row["level"] not in ("county", "zone"):
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


def source_citation(full: Atlas, source_id: str, lang: Lang) -> str:
    """A source for st.markdown (escaped): publisher, title, date and its address; a re-post
    gives the address where the text was read, marked as such."""
    src = full.sources.set_index("source_id").loc[source_id]
    cited = source_text(str(src["publisher"]), str(src["title"]), str(src["date"]), lang)
    seen = str(src.get("seen_at", "") or "")
    where = str(src["url"]) or (f"{t('seen_at', lang)} {seen}" if seen else "")
    return f"{t('source', lang)}{colon(lang)}" + md(f"{cited} {where}".strip())


def county_section(atlas: Atlas, full: Atlas, code: str, lang: Lang) -> None:
    """A county's (or zone's) county-level pairs by round, each with every page that states
    it (quote and source); the partners outside Chengdu a source names; the figures stated
    for its pairs, one by one; and whether it goes down to townships."""
    pairs = pairings_of(atlas, code)
    county = pairs[pairs["level"] == "county"]
    dates = dict(zip(full.sources["source_id"], full.sources["date"], strict=True))
    if not county.empty:
        st.markdown(f"**{t('panel_rounds', lang)}**")
    for key in ROUND_KEYS:
        rows = county[county["round"].map(round_key) == key]
        if rows.empty:
            continue
        with st.container(key=f"panel-round-{key}"):
            st.markdown(f"**{md(round_label(key, lang))}**")
            for _, p in rows.iterrows():
                helper = md(unit_name(full, str(p["helper_code"]), lang))
                partner = md(unit_name(full, str(p["partner_code"]), lang))
                # Under its round's heading a pair's period is worth saying only when the
                # source gives more than the round (a start date, a span, "since").
                period = period_text(
                    {**p.to_dict(), "round": ""}, dates.get(p["source_id"], ""), lang
                )
                more = "" if p["period_kind"] == "round" else f" · {md(period)}"
                st.markdown(f"- {helper} → {partner}{more}")
                if p["note"]:
                    st.caption(md(in_lang(str(p["note"]), lang)))
                for e in evidence_of(full, str(p["pairing_id"])):
                    st.markdown(f"> {md(e.quote)}")
                    st.caption(source_citation(full, e.source_id, lang))
    outside = outside_partners_of(full, code)
    if not outside.empty:
        st.markdown(f"**{t('panel_outside', lang)}**")
        for _, o in outside.iterrows():
            name = o["helper_name_zh"] if lang == "zh" else o["helper_name_en"]
            when = o["period_zh"] if lang == "zh" else o["period_en"]
            if o["round"]:
                when = round_label(str(o["round"]), lang)
            st.markdown(f"- {md(name)}{md(paren(when, lang)) if when else ''}")
            st.markdown(f"> {md(o['quote'])}")
            st.caption(source_citation(full, str(o["source_id"]), lang))
    figures = pair_figures_of(full, set(county["pairing_id"]))
    if not figures.empty:
        st.markdown(f"**{t('panel_pair_figures', lang)}**")
        for _, f in figures.iterrows():
            line = figure_line({**{str(k): v for k, v in f.items()}, "basis": "reported"}, lang)
            period = f["period_zh"] if lang == "zh" else f["period_en"]
            pair = full.pairings.set_index("pairing_id").loc[f["pairing_id"]]
            ends = (
                f"{unit_name(full, str(pair['helper_code']), lang)} → "
                f"{unit_name(full, str(pair['partner_code']), lang)}"
            )
            st.markdown(
                f"- **{md(line)}**{md(paren(period, lang))} · {md(ends)} — "
                f"{t('panel_quote', lang)}{colon(lang)}“{md(f['quote'])}”"
            )
            st.caption(source_citation(full, str(f["source_id"]), lang))
    if county.empty and outside.empty:
        st.caption(t("partner_unknown", lang))
    # Statements about many of its units at once (锦江's 11 subdistricts ↔ 炉霍's 15
    # townships): shown as said, never expanded into pairs.
    agg = full.aggregates
    said = agg[
        (agg["level"] != "county")
        & ((agg["helper_scope_code"] == code) | (agg["partner_scope_code"] == code))
    ]
    for _, a in said.iterrows():
        statement = a["statement_zh"] if lang == "zh" else a["statement_en"]
        st.markdown(f"**{t('agg_note', lang)}**{colon(lang)}{md(statement)}")
        st.caption(source_citation(full, str(a["source_id"]), lang))
    if code in detail_counties(full):
        if st.session_state.get("view") != "overview":
            return  # already down at the townships
        st.info(t("panel_has_detail", lang))
        if st.button(t("panel_go_down", lang), key="go_down"):
            st.session_state["pending_view"] = "detail"
            st.session_state["pending_unit"] = code
            st.rerun()
    else:
        st.caption(t("panel_no_detail", lang))


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
    """A selected link: its two ends, relation, round and period, every page that states it
    (quote and source), its projects with figures and quotes, totals per measure, and the
    figures stated for the whole pair (what the link's popup shows, and more)."""
    pairs = full.pairings.set_index("pairing_id")
    p: pd.Series = pairs.loc[pairing_id]  # type: ignore[assignment]
    helper = md(unit_name(full, str(p["helper_code"]), lang))
    partner = md(unit_name(full, str(p["partner_code"]), lang))
    st.subheader(f"{helper} → {partner}")
    relation = p["relation_zh"] if lang == "zh" else p["relation_en"]
    dates = dict(zip(full.sources["source_id"], full.sources["date"], strict=True))
    since = period_text(p, dates.get(str(p["source_id"]), ""), lang)
    level = t(f"level_{p['level']}", lang)
    st.caption(md(f"{level} · {relation} · {since} · {pairing_id}"))
    if p["note"]:
        st.caption(md(in_lang(str(p["note"]), lang)))
    if p["level"] == "village":
        st.caption(t("village_at_township", lang))
    for e in evidence_of(full, pairing_id):
        st.markdown(f"> {md(e.quote)}")
        st.caption(source_citation(full, e.source_id, lang))
    projects = atlas.projects[
        (atlas.projects["pairing_id"] == pairing_id) & (atlas.projects["role"] == "pairing")
    ].sort_values(["year_from", "project_id"], na_position="last")
    totals_and_projects(atlas, full, projects, lang)
    figures = pair_figures_of(full, {pairing_id})
    if not figures.empty:
        st.markdown(f"**{t('panel_pair_figures', lang)}**")
        for _, f in figures.iterrows():
            line = figure_line({**{str(k): v for k, v in f.items()}, "basis": "reported"}, lang)
            period = f["period_zh"] if lang == "zh" else f["period_en"]
            st.markdown(
                f"- **{md(line)}**{md(paren(period, lang))} — "
                f"{t('panel_quote', lang)}{colon(lang)}“{md(f['quote'])}”"
            )
            st.caption(source_citation(full, str(f["source_id"]), lang))
    clear_button(lang)
