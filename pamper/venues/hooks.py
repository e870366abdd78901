"""The door through which apps above venues follow its writes, without venues importing them.

`venue_changed` (a Django signal, keyword argument `venue_id`) is sent by
venues.actions.reindex inside the write's transaction whenever what a search
shows may have changed. Search connects its index refresh in
SearchConfig.ready, so the index is kept in step in the same transaction: a
failure there rolls the write back, and a rolled-back write leaves the index
as it was.

`currency_changing` (a Django signal, keyword arguments `venue` and `currency`) is sent by
venues.actions.update_venue, inside its transaction, before a venue's currency changes to `currency`. A receiver
answers with the fixed amounts it keeps for the venue that the new currency cannot hold, as a list of
(what a person calls it, amount in the old currency): payments names its fixed deposits and fees (¥ has no
decimals: a £5.50 deposit cannot stay). Any answer refuses the change (422 prices_too_precise), nothing changed.
"""

from __future__ import annotations

from django.dispatch import Signal

venue_changed = Signal()
currency_changing = Signal()
