"""The door through which apps above venues follow its writes, without venues importing them.

`venue_changed` (a Django signal, keyword argument `venue_id`) is sent by
venues.actions.reindex inside the write's transaction whenever what a search
shows may have changed. Search connects its index refresh in
SearchConfig.ready, so the index is kept in step in the same transaction: a
failure there rolls the write back, and a rolled-back write leaves the index
as it was.
"""

from __future__ import annotations

from django.dispatch import Signal

venue_changed = Signal()
