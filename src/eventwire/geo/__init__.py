"""Places: the offline gazetteer and toponym resolution (issue 3).

    from eventwire.geo import annotate, geocode, get_gazetteer

`annotate(document)` fills `document.report.places`: one `Place` per distinct referent, each with
its mentions, GeoNames id, point, feature, country, admin1, confidence and runner-up; facilities
carry `within` (the id of the place they lie in); a capital standing for its government is a
separate place with `metonym=True`; names the gazetteer cannot place stay unresolved with a
`reason`. Working data for later stages is left in `document.notes["geo"]`.
"""

from __future__ import annotations

from eventwire.geo.build import annotate, geocode, resolve_spans
from eventwire.geo.gazetteer import Gazetteer, build as build_gazetteer, get_gazetteer

__all__ = ["annotate", "geocode", "resolve_spans", "get_gazetteer", "build_gazetteer", "Gazetteer"]
