"""Every permission check of the platform, in one place.

Views, the API and services ask these functions; nothing else decides who may do what.
Roles: visitor, volunteer, organisation admin / project leader / member, district admin
(one district), city admin (one city).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from gongyi.accounts.models import User, Volunteer
    from gongyi.orgs.models import Organisation
    from gongyi.regions.models import Region


def _staff_regions(user: User, role: str) -> set[int]:
    if not user.is_authenticated:
        return set()
    cache_name = f"_staff_regions_{role}"
    if not hasattr(user, cache_name):
        ids = set(user.staff_roles.filter(role=role).values_list("region_id", flat=True))
        setattr(user, cache_name, ids)
    return getattr(user, cache_name)


def is_city_admin(user: User, city: Region | None = None) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    cities = _staff_regions(user, "city_admin")
    return bool(cities) if city is None else city.pk in cities


def admin_district_ids(user: User) -> set[int]:
    """Districts the user administers as a district admin."""
    return _staff_regions(user, "district_admin")


def is_district_admin(user: User, district: Region | None = None) -> bool:
    districts = admin_district_ids(user)
    return bool(districts) if district is None else district.pk in districts


def is_admin_for_district(user: User, district: Region) -> bool:
    """City admin of its city, or district admin of that very district."""
    return is_district_admin(user, district) or is_city_admin(user, district.city)


def org_role(user: User, org: Organisation) -> str | None:
    """The user's active role in the organisation, or None."""
    if not user.is_authenticated:
        return None
    return org.memberships.filter(user=user, status="active").values_list("role", flat=True).first()


def leads_any_org(user: User) -> bool:
    """An active admin or project leader somewhere: shown the organiser console."""
    if not user.is_authenticated:
        return False
    return user.memberships.filter(status="active", role__in=("admin", "leader")).exists()


def can_review_org(user: User, org: Organisation) -> bool:
    return is_admin_for_district(user, org.district)


def can_manage_org(user: User, org: Organisation) -> bool:
    """Edit the organisation and decide on its members."""
    return org_role(user, org) == "admin"


def can_see_org_members(user: User, org: Organisation) -> bool:
    return org_role(user, org) is not None or can_review_org(user, org)


def can_see_org_private(user: User, org: Organisation) -> bool:
    """Unmasked contact details, status history, rejection reason."""
    # `created_by_id is not None`: an org without a creator must not match an anonymous user.
    is_creator = org.created_by_id is not None and org.created_by_id == getattr(user, "pk", None)
    return is_creator or can_see_org_members(user, org)


def can_see_volunteer_private(user: User, volunteer: Volunteer) -> bool:
    """A volunteer's own data: the volunteer and the city admin, nobody else (for now)."""
    return volunteer.user_id == getattr(user, "pk", None) or is_city_admin(user)


def require(allowed: bool) -> None:
    """Raise 403 unless allowed: `require(can_manage_org(request.user, org))`."""
    if not allowed:
        raise PermissionDenied


# --- orgs: organisations and their members -------------------------------------------------


def can_register_org(user: User) -> bool:
    """Any logged-in account may apply to register an organisation."""
    return user.is_authenticated


def can_see_org(user: User, org: Organisation) -> bool:
    """Verified organisations are public; others only to their members, registrant, reviewers."""
    return org.status == "verified" or can_see_org_private(user, org)


def can_see_member_phones(user: User, org: Organisation) -> bool:
    """Full mobile numbers on the member list: the organisation's admins only."""
    return can_manage_org(user, org)


def can_decide_membership(user: User, membership) -> bool:
    """Invite, approve or reject a join request, change a role, remove a member."""
    return can_manage_org(user, membership.organisation)


def org_review_scope(user: User):
    """A filter on Organisation for the ones this user may review (nothing when none)."""
    from django.db.models import Q

    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(district_id__in=admin_district_ids(user)) | Q(
        district__city_id__in=_staff_regions(user, "city_admin")
    )


def can_export_personal_data(user: User, subject: User) -> bool:
    """The full personal-data export (ID number in clear): the person themselves, nobody else."""
    return user.is_authenticated and user.pk == subject.pk


# --- projects: publishing and running service projects ---------------------------------------


def can_publish_for_org(user: User, org: Organisation) -> bool:
    """Create projects for the organisation: an active admin of a verified organisation."""
    return org.can_publish and org_role(user, org) == "admin"


def can_manage_project(user: User, project) -> bool:
    """Edit, publish, close the project, its points and shifts: an active admin of its org."""
    return org_role(user, project.organisation) == "admin"


def can_lead_project(user: User, project) -> bool:
    """Run the project on the ground (rosters, check-in): an active admin or leader of its org."""
    return org_role(user, project.organisation) in ("admin", "leader")


def can_see_project_private(user: User, project) -> bool:
    """The unmasked contact person and phone, drafts: the project's organisers."""
    return can_lead_project(user, project)


# --- signups: rosters, decisions, the inbox ----------------------------------------------------


def can_see_roster(user: User, project) -> bool:
    """Names and full phones of a project's volunteers: the people who run the project."""
    return can_lead_project(user, project)


def can_decide_signups(user: User, project) -> bool:
    """Approve, reject, move volunteers between shifts, cancel a volunteer's signup."""
    return can_lead_project(user, project)


def can_change_capacity(user: User, project) -> bool:
    """Change a shift's places, cancel the whole project, run its lottery draw."""
    return can_manage_project(user, project)


def can_cancel_signup(user: User, signup) -> bool:
    """The volunteer themselves, or the project's organisers."""
    own = signup.volunteer.user_id == getattr(user, "pk", None)
    return own or can_decide_signups(user, signup.shift.project)


def can_read_notice(user: User, notice) -> bool:
    """A notice is its recipient's alone."""
    return notice.user_id == getattr(user, "pk", None)


# --- attendance: check-in and check-out ----------------------------------------------------------


def can_run_attendance(user: User, project) -> bool:
    """Show the check-in QR code, check volunteers in or out, mark no-shows: the leaders."""
    return can_lead_project(user, project)


def can_set_attendance_policy(user: User, project) -> bool:
    """Require check-in on site (the geofence) and set its radius: the project's managers."""
    return can_manage_project(user, project)


def can_check_in_self(user: User, signup) -> bool:
    """Scanning a code acts on the volunteer's own signup only."""
    return user.is_authenticated and signup.volunteer.user_id == user.pk


def can_see_attendance(user: User, signup) -> bool:
    """A signup's check-in record: the volunteer themselves and the project's leaders."""
    return can_check_in_self(user, signup) or can_run_attendance(user, signup.shift.project)


# --- service: the hours ledger (confirmation, corrections, declarations, disputes) ----------


def leads_org(user: User, org: Organisation) -> bool:
    """An active admin or project leader of the organisation."""
    return org_role(user, org) in ("admin", "leader")


def can_confirm_hours(user: User, project) -> bool:
    """Review a shift's hours, confirm them, decide declarations: the project's leaders and
    admins, or the admins of the organisation's district (who also confirm late)."""
    return can_see_org_hours(user, project.organisation)


def can_confirm_late_hours(user: User, org: Organisation) -> bool:
    """After the 10-working-day deadline only the district admin may confirm hours."""
    return is_admin_for_district(user, org.district)


def can_see_org_hours(user: User, org: Organisation) -> bool:
    """The organisation's hours awaiting confirmation and its disputes."""
    return leads_org(user, org) or is_admin_for_district(user, org.district)


def can_see_record(user: User, record) -> bool:
    """A service record: its volunteer, its organisation's leaders and admins, the district."""
    own = record.volunteer.user_id == getattr(user, "pk", None)
    return own or can_see_org_hours(user, record.organisation)


def can_correct_record(user: User, record) -> bool:
    """Make a correction entry: a leader or admin of the record's organisation, or the
    admin of its district."""
    return can_see_org_hours(user, record.organisation)


def is_own_record(user: User, record) -> bool:
    """Reject a record (被志愿) or dispute it: the volunteer it was made for, nobody else."""
    return user.is_authenticated and record.volunteer.user_id == user.pk


def can_declare_hours(user: User, signup) -> bool:
    """Declare hours (补录) for a signup: its volunteer."""
    return user.is_authenticated and signup.volunteer.user_id == user.pk


def can_answer_dispute(user: User, dispute) -> bool:
    """Answer (and correct): the leaders and admins of the record's organisation."""
    return leads_org(user, dispute.record.organisation)


def can_escalate_dispute(user: User, dispute) -> bool:
    """Hand a dispute to the district: its volunteer, the organisation, the district admin."""
    own = dispute.volunteer.user_id == getattr(user, "pk", None)
    return own or can_see_org_hours(user, dispute.record.organisation)


def can_resolve_dispute(user: User, dispute) -> bool:
    """Resolve a dispute (and correct): the admin of the organisation's district."""
    return is_admin_for_district(user, dispute.record.organisation.district)


def can_see_dispute(user: User, dispute) -> bool:
    return can_escalate_dispute(user, dispute)


def hours_org_scope(user: User):
    """A filter on Organisation: the ones whose hours and disputes this user handles (the
    ones they lead, and the ones they may review as district or city admin)."""
    from django.db.models import Q

    if not user.is_authenticated or user.is_superuser:
        return org_review_scope(user)
    led = user.memberships.filter(status="active", role__in=("admin", "leader"))
    return Q(pk__in=list(led.values_list("organisation_id", flat=True))) | org_review_scope(user)


def handles_any_hours(user: User) -> bool:
    """Shown the awaiting-confirmation and dispute lists: leads an org, or a district/city admin."""
    return leads_any_org(user) or is_district_admin(user) or is_city_admin(user)


# --- certificates: certificates and the public-welfare passport -------------------------------


def can_download_certificate(user: User, certificate) -> bool:
    """A certificate is its holder's alone: no role (staff included) needs someone else's."""
    return user.is_authenticated and certificate.volunteer.user_id == user.pk


def can_issue_passport(user: User, passport) -> bool:
    """Issue or reject a passport application: the district admin of the passport's district."""
    return is_district_admin(user, passport.district)


def can_see_passport_queue(user: User) -> bool:
    """The queue of passport applications: district admins (each sees their own districts)."""
    return is_district_admin(user)


# --- projects: the team-only picker ------------------------------------------------------------


def can_search_project_teams(user: User) -> bool:
    """Search the city's verified teams for a project's "team members only" rule: the people
    who create or edit projects, i.e. an active admin of some organisation."""
    if not user.is_authenticated:
        return False
    return user.memberships.filter(status="active", role="admin").exists()


# --- sharing ---


def can_see_share_figures(user: User, project) -> bool:
    """How often a project was shared and its short links visited: whoever manages it."""
    return can_manage_project(user, project)


# --- snapshots ---


def served_project(user: User, project) -> bool:
    """The user served in the project as a volunteer: an effective ledger record on it, or a
    checked-out attendance on one of its shifts (hours are confirmed days later; the photos
    are taken on the day)."""
    if not user.is_authenticated:
        return False
    from gongyi.attendance.models import Attendance
    from gongyi.service.selectors import effective_records

    volunteer = getattr(user, "volunteer", None)
    if volunteer is None:
        return False
    if effective_records(volunteer, project_ids=[project.pk]).exists():
        return True
    return Attendance.objects.filter(
        signup__volunteer=volunteer,
        signup__shift__project=project,
        checked_out_at__isnull=False,
        no_show=False,
    ).exists()


def can_moderate_snapshots(user: User, project) -> bool:
    """See every photo of a project and approve or hide them: its organiser."""
    return can_manage_project(user, project)


def can_upload_snapshot(user: User, project) -> bool:
    """Upload photos of a project: its organiser, and the volunteers who served in it."""
    return can_moderate_snapshots(user, project) or served_project(user, project)


def can_delete_snapshot(user: User, snapshot) -> bool:
    """Delete a photo: the person who uploaded it (the organiser hides instead)."""
    return user.is_authenticated and snapshot.uploader_id == user.pk


def can_see_snapshot(user: User, snapshot) -> bool:
    """Public once approved (on a public project); before that, its uploader and organiser."""
    if snapshot.is_public:
        return True
    return can_delete_snapshot(user, snapshot) or can_moderate_snapshots(user, snapshot.project)


# --- calendars ----------------------------------------------------------------------------------


def can_see_org_calendar(user: User, org: Organisation) -> bool:
    """An organisation's calendar: whoever may see the organisation (verified ones: everybody)."""
    return can_see_org(user, org)


def can_see_draft_shifts(user: User, org: Organisation) -> bool:
    """Drafts' shifts on the organisation's calendar page (never in its public feed): the
    people who prepare them, i.e. its active admins and project leaders."""
    return leads_org(user, org)


def can_use_saved_search(user: User, search) -> bool:
    """A saved search (see, rename, change, delete): its owner alone."""
    return user.is_authenticated and search.user_id == user.pk


# --- growth ---


def can_edit_growth_settings(user: User) -> bool:
    """Star thresholds, points, levels, what counts as training: the city admin."""
    return is_city_admin(user)


def can_edit_card(user: User, volunteer: Volunteer) -> bool:
    """Whether a volunteer's identity card is public, and its preview: the volunteer alone."""
    return user.is_authenticated and volunteer.user_id == user.pk


# --- sites: district sub-platforms ---------------------------------------------------------


def can_create_site(user: User, district: Region) -> bool:
    """Create a district's site: the city admin of the district's city."""
    return district.city_id is not None and is_city_admin(user, district.city)


def can_manage_site(user: User, site) -> bool:
    """Every field of a site (address, district, look) and (de)activating it: the city admin
    of its district's city."""
    return can_create_site(user, site.district)


def can_edit_site_look(user: User, site) -> bool:
    """A site's name, tagline, logo, banner and colours: its district's admin too."""
    return can_manage_site(user, site) or is_district_admin(user, site.district)


def can_see_site_admin(user: User) -> bool:
    """The list of sites to manage: city admins and district admins."""
    return is_city_admin(user) or is_district_admin(user)


# --- value: economic value of service hours ------------------------------------------------


def can_manage_wages(user: User, city: Region) -> bool:
    """Create and edit a city's wage tables (economic value): the city admin of that city."""
    return is_city_admin(user, city)


def can_see_wage_admin(user: User) -> bool:
    """The wage-table pages at all: a city admin of some city."""
    return is_city_admin(user)


# --- dashboard ------------------------------------------------------------------------------


def can_refresh_dashboard(user: User, region: Region) -> bool:
    """Recompute a dashboard now: the city admin of its city, or the district's own admin."""
    if region.level == 1:  # a city
        return is_city_admin(user, region)
    in_city = region.city_id is not None and is_city_admin(user, region.city)
    return in_city or is_district_admin(user, region)


def admin_city_ids(user: User) -> set[int]:
    """Cities the user administers as a city admin (kept on the user, like the districts)."""
    return _staff_regions(user, "city_admin")
