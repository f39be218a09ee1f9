"""The dashboard in a real headless browser (Debian's chromium driven by Playwright), slow stack.

The screenshot is kept as a test artifact in test-artifacts/dashboard.png.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from urllib.parse import quote, urlparse

import pytest
from playwright.sync_api import Browser, Page, Request, sync_playwright

from tests.conftest import REPO
from tests.ops.conftest import OpsService

ARTIFACTS = REPO / "test-artifacts"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("chromium is not installed: apt-get install chromium (.ci/run does)")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # Root in a container has no user namespace for chromium's sandbox.
        launched = playwright.chromium.launch(
            executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


SLOW_CHAIN = {
    "heat_template_version": "2018-08-31",
    "resources": {
        "network": {
            "type": "OS::Heat::TestResource",
            "properties": {"action_wait_secs": {"create": 4}},
        },
        "server": {
            "type": "OS::Heat::TestResource",
            "depends_on": "network",
            "properties": {"action_wait_secs": {"create": 2}},
        },
        "address": {"type": "OS::Heat::None", "depends_on": "server"},
        "volume": {"type": "OS::Heat::RandomString"},
    },
}


def _node_phases(page: Page) -> dict[str, str]:
    phases: dict[str, str] = page.evaluate(
        "() => Object.fromEntries(window.dashboard.cy.nodes().map(n => [n.id(), n.data('phase')]))"
    )
    return phases


def test_the_dashboard_draws_the_stack_graph_coloured_live_with_events_and_workflow_links(
    ops_service: OpsService, browser: Browser
) -> None:
    project = f"dash-{uuid.uuid4().hex[:8]}"
    heat = ops_service.heat(project)
    quiet = f"quiet-{uuid.uuid4().hex[:6]}"
    heat.create(quiet, {"heat_template_version": "2018-08-31", "resources": {}})
    name = f"web-{uuid.uuid4().hex[:6]}"
    stack_id = heat.create(name, SLOW_CHAIN)["id"]

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    outside: list[str] = []

    def only_the_api(request: Request) -> None:
        # Everything the page loads comes from the API itself: no CDN at run time.
        if urlparse(request.url).hostname != "127.0.0.1":
            outside.append(request.url)

    page.on("request", only_the_api)
    page.goto(f"{ops_service.service.url}/dashboard?project={project}&stack={name}")

    # The project's stacks are listed.
    page.wait_for_selector(f"#stacks li[data-name='{quiet}']")
    assert page.locator(f"#stacks li[data-name='{name}']").count() == 1
    # The graph: one node per resource, one edge per dependency.
    page.wait_for_function("() => window.dashboard.cy && window.dashboard.cy.nodes().length === 4")
    edges = page.evaluate(
        "() => window.dashboard.cy.edges().map(e => e.source().id() + '->' + e.target().id())"
    )
    assert sorted(edges) == ["network->server", "server->address"]
    # While the create runs, the graph shows work in progress and work waiting.
    page.wait_for_function(
        "() => window.dashboard.cy.getElementById('network').data('phase') === 'IN_PROGRESS'"
    )
    during = _node_phases(page)
    assert during["network"] == "IN_PROGRESS"
    assert during["address"] in ("WAITING", "IN_PROGRESS")
    colour = page.evaluate(
        "() => window.dashboard.cy.getElementById('network').style('background-color')"
    )
    assert colour == "rgb(239,108,0)"
    # Live: the stream ends with the operation and every node turns complete (green).
    page.wait_for_function("() => window.dashboard.streamEnded === true", timeout=60000)
    assert page.get_attribute("#stack-status", "data-status") == "CREATE_COMPLETE"
    assert set(_node_phases(page).values()) == {"COMPLETE"}
    assert (
        page.evaluate(
            "() => window.dashboard.cy.getElementById('address').style('background-color')"
        )
        == "rgb(46,125,50)"
    )
    events = page.locator("#events li").all_inner_texts()
    assert any("server" in e and "CREATE_COMPLETE" in e for e in events)
    assert any(name in e and "CREATE_COMPLETE" in e for e in events)
    # Each operation's workflow, linked into the Temporal UI.
    operation_id = f"stack/{project}/{name}/{stack_id}/create-1"
    link = page.locator("#workflows a", has_text=operation_id)
    href = link.get_attribute("href")
    assert href is not None
    assert f"/namespaces/default/workflows/{quote(operation_id, safe='')}/" in href
    assert page.locator("#workflows a", has_text=f"stack/{project}/{name}").count() >= 2

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000
    assert outside == []
    page.close()
