"""Point every script and style sheet of a Folium map at locally served copies.

Folium elements declare their assets as class attributes ``default_js`` / ``default_css`` (lists
of ``(name, url)``) that point at CDNs. ``localize`` sets instance attributes with local URLs on
every element of a map, so both ``st_folium`` (which collects those lists) and ``Map.render``
(which writes them into the page head) use the local files.
"""

from __future__ import annotations

from collections.abc import Iterator

import branca.element
import folium

from layers.vendor import LOCAL_ASSETS, STATIC_URL_PREFIX, UNUSED_ASSETS


class UnknownAssetError(RuntimeError):
    """A map element declares an asset that is not vendored: it would load from the internet."""


def iter_elements(root: branca.element.Element) -> Iterator[branca.element.Element]:
    """Yield ``root`` and all its descendants, depth first."""
    yield root
    for child in root._children.values():
        yield from iter_elements(child)


def _local(
    assets: list[tuple[str, str]], prefix: str, leave_out: frozenset[str]
) -> list[tuple[str, str]]:
    out = []
    for name, url in assets:
        if name in leave_out:
            continue
        if url.startswith(prefix):
            out.append((name, url))
        elif name in LOCAL_ASSETS:
            out.append((name, prefix + LOCAL_ASSETS[name]))
        elif name not in UNUSED_ASSETS:
            raise UnknownAssetError(
                f"asset {name!r} ({url}) is not vendored; add it to layers/vendor.py"
            )
    return out


def localize(
    m: folium.Map, prefix: str = STATIC_URL_PREFIX, leave_out: frozenset[str] = frozenset()
) -> folium.Map:
    """Rewrite the asset URLs of ``m`` and all its children to ``prefix`` + vendored path,
    dropping the assets named in ``leave_out`` (the atlas: ``NOT_LOADED_BY_ATLAS``).

    Call after every layer and plugin has been added. Raises :class:`UnknownAssetError` for an
    asset with no local copy. Returns ``m`` for chaining.
    """
    for element in iter_elements(m):
        for attr in ("default_js", "default_css"):
            if hasattr(element, attr):
                setattr(element, attr, _local(list(getattr(element, attr)), prefix, leave_out))
    return m


def asset_urls(m: folium.Map) -> list[str]:
    """All script and style-sheet URLs the elements of ``m`` declare (what st_folium loads)."""
    urls: list[str] = []
    for element in iter_elements(m):
        urls.extend(url for _, url in getattr(element, "default_js", []))
        urls.extend(url for _, url in getattr(element, "default_css", []))
    return list(dict.fromkeys(urls))
