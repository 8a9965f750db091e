"""Keep a volunteer's growth in step with their records: queue a refresh (a background task,
off the request) after every commit that appended or corrected one of their records, or
changed a no-show (the badge "a year without a
no-show" reads them). Connected in GrowthConfig.ready()."""

from django.dispatch import receiver

from gongyi.attendance.models import Attendance
from gongyi.attendance.signals import attendance_changed
from gongyi.growth.tasks import refresh_growth
from gongyi.service.models import ServiceRecord
from gongyi.service.signals import record_added, record_corrected


@receiver(record_added, sender=ServiceRecord, dispatch_uid="growth.refresh_on_record")
def refresh_on_record(sender, record, **kwargs) -> None:
    refresh_growth.enqueue(record.volunteer_id, record.pk)


@receiver(record_corrected, sender=ServiceRecord, dispatch_uid="growth.refresh_on_correction")
def refresh_on_correction(sender, record, correction, **kwargs) -> None:
    # record_added has refreshed already when the correction came through append_locked:
    # then this is skipped (the correction is read), else it refreshes.
    refresh_growth.enqueue(correction.volunteer_id, correction.pk)


@receiver(attendance_changed, sender=Attendance, dispatch_uid="growth.refresh_on_attendance")
def refresh_on_attendance(sender, attendance, action, **kwargs) -> None:
    if action == "no_show" or action == "checked_in":  # checking in clears a no-show
        refresh_growth.enqueue(attendance.signup.volunteer_id)
