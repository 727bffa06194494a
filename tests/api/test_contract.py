"""The contract as a client reads it: 404 for no such path and 405 for no
such method, whoever asks; the root leads to the public pages; a query
parameter sent twice is refused (issue 35, item 9)."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.factories import YANTAI, register


def test_a_put_on_a_read_only_path_is_405_with_what_is_allowed(
    anonymous: FlaskClient,
) -> None:
    answer = anonymous.put("/rule-packs", data="x", content_type="text/plain")

    assert answer.status_code == 405
    assert answer.json["code"] == 405
    assert "GET" in answer.headers["Allow"]


def test_no_such_path_is_404_whoever_asks(
    anonymous: FlaskClient, client: FlaskClient
) -> None:
    public = anonymous.get("/no/such/path")
    bureau = client.post("/no/such/path", json={})

    assert (public.status_code, bureau.status_code) == (404, 404)
    assert public.json["code"] == bureau.json["code"] == 404


def test_the_root_leads_to_the_public_pages(anonymous: FlaskClient) -> None:
    answer = anonymous.get("/")

    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/disclosure/")
    assert anonymous.get("/", follow_redirects=True).status_code == 200


def test_a_query_parameter_sent_twice_is_422_naming_it(
    anonymous: FlaskClient, client: FlaskClient
) -> None:
    register(client)

    answer = anonymous.get(
        f"/enterprises/{YANTAI}/grade?as_of=2026-01-01&as_of=2026-06-01"
    )

    assert answer.status_code == 422
    assert answer.json["errors"]["query"] == {"as_of": ["sent more than once"]}
