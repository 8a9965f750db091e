"""Signals of the service app, for the apps above it (certificates, growth, stats).

`record_corrected` is sent after the transaction that made a correction commits, with
`sender=ServiceRecord, record=<the old record>, correction=<the new record>`. A volunteer's
rejection ("I did not serve this") is a correction to 0 minutes and is sent the same way.

`record_added` is sent after the transaction that appended any record (an original or a
correction) commits, with `sender=ServiceRecord, record=<the new record>`.
"""

from django.dispatch import Signal

record_corrected = Signal()
record_added = Signal()
