"""Which front-end files the maps use, and where they come from in node_modules.

Standard library only: ``scripts/vendor_assets.py`` imports this at set-up, before the virtual
environment exists. Every script and style sheet any map element declares must be listed in
``LOCAL_ASSETS`` (served from ``static/vendor``) or in ``UNUSED_ASSETS`` (dropped, with why);
``layers.assets.localize`` raises for anything else, so a new plugin cannot silently reach a CDN.
"""

from __future__ import annotations

# Folium asset name -> path under static/vendor/ (the same path as under node_modules/).
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "leaflet/dist/leaflet.js",
    "leaflet_css": "leaflet/dist/leaflet.css",
    "jquery": "jquery/dist/jquery.min.js",
    "bootstrap": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap_css": "bootstrap/dist/css/bootstrap.min.css",
    "awesome_markers": "leaflet.awesome-markers/dist/leaflet.awesome-markers.js",
    "awesome_markers_css": "leaflet.awesome-markers/dist/leaflet.awesome-markers.css",
    "awesome_markers_font_css": "@fortawesome/fontawesome-free/css/all.min.css",
    "Control.Fullscreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
}

# Declared by folium.Map but needed only for glyphicon / rotated marker icons, which the atlas
# never draws. Neither is published on the npm registry in the form folium links.
UNUSED_ASSETS: frozenset[str] = frozenset({"glyphicons_css", "awesome_rotate_css"})

# Folders copied whole from node_modules/ to static/vendor/ (so relative URLs inside the CSS,
# such as Leaflet's marker images and Font Awesome's web fonts, resolve locally).
VENDOR_TREES: tuple[str, ...] = (
    "leaflet/dist",
    "jquery/dist",
    "bootstrap/dist/js",
    "bootstrap/dist/css",
    "@fortawesome/fontawesome-free/css",
    "@fortawesome/fontawesome-free/webfonts",
    "leaflet.awesome-markers/dist",
    "leaflet.fullscreen",
)

# Declared by folium.Map for its own markers and pop-up styling, which the atlas's maps do not
# use (labels are DivIcons, seats CircleMarkers, the legend and popups have their own CSS):
# leaving them out of the atlas's map saves ~500 KB on a first visit and a parse on every map
# (issue 14). Still vendored: the benchmark's naive baseline loads folium's defaults.
NOT_LOADED_BY_ATLAS: frozenset[str] = frozenset(
    {
        "jquery",
        "bootstrap",
        "bootstrap_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
    }
)

# Where Streamlit serves ./static (server.enableStaticServing = true).
STATIC_URL_PREFIX = "/app/static/vendor/"
