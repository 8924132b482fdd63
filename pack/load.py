"""Load and check the data as the app does (the store's latest version, or $ATLAS_DATA_DIR),
for the command line."""

from __future__ import annotations

from geo.atlas import check_areas_fit, counties_path, load_atlas
from geo.boundaries import load_boundaries
from geo.display import prepare_display
from pack.view import ExportView, view_from_query
from store.source import current
from ui.urlstate import Notice


def load_view(query: str) -> tuple[ExportView, list[Notice]]:
    """The view of ``query`` (URL parameters) over the checked data; raises AtlasDataError
    (bilingual, naming file, row, column and value) when a table is bad."""
    paths = current().paths
    atlas = load_atlas(paths)
    counties = load_boundaries(counties_path(paths))
    check_areas_fit(paths.areas, atlas, counties)
    return view_from_query(atlas, prepare_display(atlas, counties), query)
