"""The OpenAPI description: valid OpenAPI 3, served at /api/schema/ and
/openapi.json alike, and documented in the browser from the service itself
under its strict Content Security Policy."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_validates_as_openapi_3():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on any departure from the OpenAPI 3 specification
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == [
        "/api/v1/",
        "/api/v1/accreditations/{number}/",
        "/api/v1/courses/",
        "/api/v1/courses/{id}/",
        "/api/v1/credentials/{uuid}/",
        "/api/v1/dass/appointments/",
        "/api/v1/exports/{id}/",
        "/api/v1/exports/{id}/download/",
        "/api/v1/manage/cycles/{id}/results/",
        "/api/v1/manage/nominations/",
        "/api/v1/manage/nominations/export/",
        "/api/v1/me/",
        "/api/v1/provider/applications/",
        "/api/v1/provider/completions/",
        "/api/v1/provider/courses/",
        "/api/v1/provider/courses/{id}/",
        "/api/v1/winners/",
        "/api/v1/winners/{id}/",
    ]
    assert schema["components"]["securitySchemes"] == {
        "personalAccessToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token, created on your account's API tokens page",
        }
    }
    # /me/ needs the token; the public endpoints take one or none.
    assert schema["paths"]["/api/v1/me/"]["get"]["security"] == [{"personalAccessToken": []}]
    assert schema["paths"]["/api/v1/courses/"]["get"]["security"] == [{"personalAccessToken": []}, {}]
    # The role endpoints need the token, and their lists are paged in the API's envelope.
    completions = schema["paths"]["/api/v1/provider/completions/"]
    assert completions["post"]["security"] == [{"personalAccessToken": []}]
    assert sorted(completions) == ["get", "post"]
    paged = schema["components"]["schemas"]["NominationPage"]
    assert sorted(paged["properties"]) == ["count", "next", "page", "pages", "previous", "results"]


def test_schema_and_openapi_json_answer_the_same_json():
    client = APIClient()
    schema, openapi = client.get(reverse("api:schema")), client.get("/openapi.json")
    assert schema.status_code == openapi.status_code == 200
    assert schema["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert schema.json() == openapi.json()
    assert schema.json()["info"]["title"] == "Social Care Awards and Leadership Academy API"


def test_the_api_index_links_docs_schema_and_version_1():
    assert APIClient().get("/api/").json() == {
        "docs": "http://testserver/api/docs/",
        "schema": "http://testserver/api/schema/",
        "openapi": "http://testserver/openapi.json",
        "v1": "http://testserver/api/v1/",
    }
    v1 = APIClient().get("/api/v1/").json()
    assert v1["courses"] == "http://testserver/api/v1/courses/"
    assert v1["accreditation"] == "http://testserver/api/v1/accreditations/{number}/"
    assert v1["cycle_winners"] == "http://testserver/api/v1/winners/{cycle_id}/"


def test_the_docs_are_served_from_the_service_under_the_strict_csp(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src == "'self'"
    assert "unsafe-inline" not in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all(body.strip() == "" for _, body in scripts), "no inline script"
    sources = [re.search(r'src="([^"]+)"', attributes).group(1) for attributes, _ in scripts]
    assert all(src.startswith("/static/") for src in sources), sources
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in sources
    assert "/static/api/docs.js" in sources
    assert 'data-schema-url="/api/schema/"' in page
    assert "cdn" not in page.lower()
    # Both are this service's own static files (collectstatic gathers them).
    assert all(finders.find(src.removeprefix("/static/")) for src in sources)
