from django.urls import reverse


def test_home_page_in_chinese_by_default(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "志愿" in response.content.decode()


def test_home_page_in_english_on_request(client, db):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()
    assert "Volunteering as easy as ordering a take-away" in response.content.decode()


def test_language_switch_sticks(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404


def test_api_docs_and_schema_are_served(client, db):
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Gongyi API"


def test_pages_are_made_for_phones(client, db):
    assert 'name="viewport" content="width=device-width' in client.get("/").content.decode()


def test_reviewer_link_only_for_district_and_city_admins(client, district_admin, outsider):
    client.force_login(outsider)
    assert reverse("orgs:review_queue") not in client.get("/").content.decode()
    client.force_login(district_admin)
    assert reverse("orgs:review_queue") in client.get("/").content.decode()


def test_anonymous_home_page_makes_no_role_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/")


def test_healthz_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"
