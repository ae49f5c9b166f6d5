"""The admin page in a real headless Chromium against a real gunicorn on a loopback port.

Debian's ``chromium`` and ``chromium-driver`` packages provide the browser and
its driver; selenium drives them. Without them the test is skipped, saying
so, unless ``SPECREG_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which turns a
missing browser into a failure: in CI this test is mandatory.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from gunicorn_process import REPO, Gunicorn
from payloads import valid_application
from specreg.cases import collect_cases

CHROMIUM = Path(os.environ.get("SPECREG_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("SPECREG_CHROMEDRIVER", "/usr/bin/chromedriver"))
REQUIRED = os.environ.get("SPECREG_REQUIRE_BROWSER") == "1"
TOKEN = "browser-test-token"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,2000")


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    return None


if _missing():
    if REQUIRED:
        pytest.fail(f"SPECREG_REQUIRE_BROWSER=1 but {_missing()}", pytrace=False)
    pytest.skip(f"no headless browser: {_missing()}", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    NoAlertPresentException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Gunicorn(tmp_path_factory.mktemp("browser"), SPECREG_ADMIN_TOKEN=TOKEN, WORKERS="1") as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="specreg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(browser, server, lang: str = "ru") -> None:
    browser.get(f"{server.url}/admin?lang={lang}")
    token = browser.find_element(By.ID, "token")
    token.clear()
    token.send_keys(TOKEN)
    browser.execute_script("arguments[0].dispatchEvent(new Event('change'))", token)
    wait(browser, lambda b: len(b.find_elements(By.CSS_SELECTOR, "#fixture option")) > 100)


def choose_fixture(browser, name: str) -> None:
    """Pick a fixture case; the list may be drawn again once the token is read, so retry."""

    def chosen(b) -> bool:
        Select(b.find_element(By.ID, "fixture")).select_by_visible_text(name)
        return Select(b.find_element(By.ID, "fixture")).first_selected_option.text == name

    WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,)).until(chosen)


def wait(browser, condition, seconds: float = 20):
    return WebDriverWait(browser, seconds).until(condition)


def screened(browser) -> str:
    browser.find_element(By.ID, "screen-button").click()
    return wait(browser, lambda b: b.find_element(By.ID, "outcome").text)


def test_screen_a_fixture_and_see_the_outcome_reasons_deadline_and_trace(browser, server):
    open_page(browser, server)
    choose_fixture(browser, "documents_incomplete_two_missing_one_reason")
    assert browser.find_element(By.ID, "as-of").get_attribute("value") == "2026-03-20"
    assert screened(browser) == "return (вернуть на доработку)"
    assert browser.find_element(By.ID, "decision-due").text == "2026-03-26"
    assert "Совпадает с ожиданием" in browser.find_element(By.ID, "expectation").text
    reason = browser.find_element(By.CSS_SELECTOR, "#reasons li.reason")
    assert reason.find_element(By.CSS_SELECTOR, ".code").text == "documents_incomplete"
    assert "п. 9 пп. 2) абз. 4 Правил" in reason.find_element(By.CSS_SELECTOR, ".basis").text
    assert "неполный пакет документов" in reason.find_element(By.CSS_SELECTOR, ".basis").text
    lit = browser.find_elements(By.CSS_SELECTOR, "#payload-view .line.hit-reason")
    assert lit and {line.get_attribute("data-pointer").split("/")[1] for line in lit} == {"documents"}
    fired = {row.find_elements(By.TAG_NAME, "td")[0].text: row.find_elements(By.TAG_NAME, "td")[2].text
             for row in browser.find_elements(By.CSS_SELECTOR, "#explain-rules tr")}
    assert fired["documents.required_missing"] == "да" and fired["court.social_work_ban_in_force"] == "нет"


def test_a_payload_value_is_shown_as_text_never_run_as_markup(browser, server):
    open_page(browser, server)
    hostile = "<img src=x onerror=alert(1)>"
    payload = valid_application()
    payload["specialist"]["profession"] = hostile
    payload["applicant"]["name"] = hostile
    editor = browser.find_element(By.ID, "payload")
    text = json.dumps(payload, ensure_ascii=False)
    browser.execute_script("arguments[0].value = arguments[1]", editor, text)
    browser.find_element(By.ID, "as-of").send_keys("03202026")
    assert screened(browser).startswith("return")
    message = browser.find_element(By.CSS_SELECTOR, "#reasons .message").text
    assert hostile in message  # profession_mismatch names the profession as written
    assert browser.find_elements(By.CSS_SELECTOR, "#answer img") == []
    assert any(hostile in line.text for line in browser.find_elements(By.CSS_SELECTOR, "#payload-view .line"))
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018


def test_the_interface_switches_to_kazakh(browser, server):
    open_page(browser, server)
    choose_fixture(browser, "register_clean")
    screened(browser)
    Select(browser.find_element(By.ID, "interface-language")).select_by_value("kk")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ережелер шеберханасы"
    assert browser.find_element(By.ID, "outcome").text == "register (тізілімге енгізу)"
    assert browser.find_element(By.CSS_SELECTOR, "[data-view=suite]").text == "Тест жиынтығы"


def test_the_suite_view_shows_the_table_and_coverage(browser, server):
    open_page(browser, server)
    browser.find_element(By.CSS_SELECTOR, "[data-view=suite]").click()
    browser.find_element(By.ID, "suite-button").click()
    summary = wait(browser, lambda b: b.find_element(By.ID, "suite-summary").text, 60)
    total = len(collect_cases([REPO / "fixtures"]))
    assert summary == f"Случаев: {total}; прошли: {total}, не прошли: 0"
    assert "(100%)" in browser.find_element(By.ID, "coverage-summary").text
    assert browser.find_element(By.ID, "never-fired").text == "нет"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#suite-results tr")) == total
