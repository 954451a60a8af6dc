"""Drive the HTML forms the way a browser would: read hidden fields, post them back."""

from __future__ import annotations

import re
import warnings
from typing import Any

with warnings.catch_warnings():
    # Starlette 1.x warns on import that TestClient prefers the httpx2 package; httpx is what
    # this project installs. Only that exact warning is silenced, only around this import.
    warnings.filterwarnings(
        "ignore", message=r"Using `httpx` with `starlette\.testclient` is deprecated"
    )
    from fastapi.testclient import TestClient

__all__ = ["TEST_HOST", "TestClient", "hidden", "h1", "Interview"]

TEST_HOST = "testserver"  # the Host header the in-process test client sends


def hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name!r} in the page"
    return match.group(1)


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "the page has no <h1>"
    return match.group(1).strip()


class Interview:
    """The interview through its HTML forms, step by step."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.html = ""

    @property
    def question_id(self) -> str | None:
        match = re.search(r'name="question_id" value="([^"]*)"', self.html)
        return match.group(1) if match else None

    @property
    def is_result(self) -> bool:
        return "<h1>Your result</h1>" in self.html

    def start(self, age: str = "40", sex: str = "") -> Interview:
        page = self.client.get("/check")
        assert page.status_code == 200
        response = self.client.post(
            "/check", data={"csrf_token": hidden(page.text, "csrf_token"), "age": age, "sex": sex}
        )
        assert response.status_code == 200, response.text
        self.html = response.text
        return self

    def post(self, expected_status: int = 200, **fields: Any) -> Interview:
        data: dict[str, Any] = {
            "csrf_token": hidden(self.html, "csrf_token"),
            "state": hidden(self.html, "state"),
        }
        if self.question_id is not None:
            data["question_id"] = self.question_id
        data.update(fields)
        response = self.client.post("/check/step", data=data)
        assert response.status_code == expected_status, response.text
        self.html = response.text
        return self

    def answer_all_dont_know(self, limit: int = 60) -> Interview:
        for _ in range(limit):
            if self.is_result:
                return self
            self.post(action="dont_know")
        raise AssertionError("the interview did not finish")
