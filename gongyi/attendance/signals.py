"""Signals of the attendance app, for the apps above it (service hours) to listen to.

`attendance_changed` is sent after the transaction that changed an attendance commits, with
`sender=Attendance, attendance=<row>, action=<"checked_in" | "checked_out" | "no_show">`.
"""

from django.dispatch import Signal

attendance_changed = Signal()
