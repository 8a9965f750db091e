"""The PostgreSQL signup in one round trip: the function `signups_attempt`.

`services.signup_create` calls it on PostgreSQL; elsewhere the same steps run in the ORM
(`services.signup_create`'s own body), and the test suite runs on both databases. DESIGN.md
measured round trips as the cost of a signup (1,000 req/s through the ORM, 1,700 in one
function), and a hot project brings tens of thousands of signups at once.

The steps, in the ORM path's order:
  1. lock the volunteer (FOR UPDATE) and key-share the project, reading its status;
  2. a repeat (the same Idempotency-Key, or a live signup on this shift) answers with it;
  3. refusals: not open; `p_refused_early` (window, start or age, checked in Python);
     team-only; an overlapping confirmed shift;
  4. lottery or review: pending; otherwise the one conditional UPDATE takes a place,
     or the volunteer is waitlisted;
  5. the signup row, its audit entry and the volunteer's notice (`p_notices`: [kind, title,
     body] for confirmed, waitlisted, pending, already in the volunteer's language).

It writes these tables by column name: a migration that adds a NOT NULL column without a
database default to them must re-create this function.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION signups_attempt(
    p_volunteer bigint, p_user bigint, p_shift bigint, p_project bigint,
    p_starts timestamptz, p_ends timestamptz, p_key text, p_now timestamptz,
    p_refused_early boolean, p_notices text[], p_url text,
    OUT outcome text, OUT signup signups_signup)
LANGUAGE plpgsql AS $$
DECLARE
    v_status text;
    v_allocation text;
    v_review boolean;
    v_notice int;
BEGIN
    SELECT p.status, p.allocation, p.review_required INTO v_status, v_allocation, v_review
      FROM accounts_volunteer v, projects_project p
     WHERE v.id = p_volunteer AND p.id = p_project
       FOR UPDATE OF v FOR KEY SHARE OF p;

    IF p_key IS NOT NULL THEN
        SELECT * INTO signup FROM signups_signup s
         WHERE s.volunteer_id = p_volunteer AND s.idempotency_key = p_key;
        IF FOUND THEN
            outcome := CASE WHEN signup.shift_id = p_shift THEN 'repeat' ELSE 'key_reused' END;
            RETURN;
        END IF;
    END IF;
    SELECT * INTO signup FROM signups_signup s
     WHERE s.volunteer_id = p_volunteer AND s.shift_id = p_shift
       AND s.status IN ('pending', 'confirmed', 'waitlisted');
    IF FOUND THEN
        outcome := 'repeat';
        RETURN;
    END IF;

    IF v_status IS DISTINCT FROM 'published' THEN
        outcome := 'not_open';
    ELSIF p_refused_early THEN
        outcome := 'early';
    ELSIF EXISTS (SELECT 1 FROM projects_project_teams_only t WHERE t.project_id = p_project)
          AND NOT EXISTS (
              SELECT 1 FROM projects_project_teams_only t
                JOIN orgs_membership m ON m.organisation_id = t.organisation_id
               WHERE t.project_id = p_project AND m.user_id = p_user AND m.status = 'active') THEN
        outcome := 'teams_only';
    ELSIF EXISTS (
              SELECT 1 FROM signups_signup o JOIN projects_shift t ON t.id = o.shift_id
               WHERE o.volunteer_id = p_volunteer AND o.status = 'confirmed'
                 AND o.shift_id <> p_shift AND t.starts_at < p_ends AND t.ends_at > p_starts) THEN
        outcome := 'overlap';
    END IF;
    IF outcome IS NOT NULL THEN
        RETURN;
    END IF;

    IF v_allocation = 'lottery' OR v_review THEN
        v_notice := 3;
    ELSE
        UPDATE projects_shift SET taken = taken + 1
         WHERE id = p_shift AND (capacity IS NULL OR taken < capacity);
        v_notice := CASE WHEN FOUND THEN 1 ELSE 2 END;
    END IF;
    INSERT INTO signups_signup (volunteer_id, shift_id, status, reason, created_at,
                                idempotency_key)
    VALUES (p_volunteer, p_shift, (ARRAY['confirmed', 'waitlisted', 'pending'])[v_notice], '',
            p_now, p_key)
    RETURNING * INTO signup;
    INSERT INTO core_auditentry (at, actor_id, action, target_type, target_id, data)
    VALUES (now(), p_user, 'signup.created', 'signups.signup', signup.id::text,
            jsonb_build_object('status', signup.status));
    INSERT INTO notices_notice (user_id, kind, title, body, url, created_at)
    VALUES (p_user, p_notices[v_notice][1], p_notices[v_notice][2], p_notices[v_notice][3],
            p_url, now());
    outcome := 'created';
END
$$;
"""

DROP = "DROP FUNCTION IF EXISTS signups_attempt"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("signups", "0001_initial"),
        ("accounts", "0002_volunteer_privacy_consent"),
        ("core", "0001_initial"),
        ("notices", "0001_initial"),
        ("orgs", "0003_base_designation"),
        ("projects", "0005_next_start"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
