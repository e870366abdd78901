"""What the clinical layer tells the apps above it (connected in their AppConfig.ready).

- `health_data_erasing(clients, now)`: sent by privacy.erase_health_data inside its transaction, before the
  person's client records are anonymised. Apps above clinical that hold health data about those clients
  (practitioners: prescriptions) delete it here, returning {name: count} for the erasure's report.
"""

from __future__ import annotations

from django.dispatch import Signal

health_data_erasing = Signal()  # keyword arguments: clients (list of venues.Client), now (datetime)
