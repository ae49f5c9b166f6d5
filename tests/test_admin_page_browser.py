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
from specreg.workbench.cases import collect_cases

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

pytestmark = pytest.mark.slow  # a real server, a browser or a subprocess: `make test-slow`

FAILING_CASE = "full_application_expected_to_return_on_purpose"


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory) -> Path:
    """The shipped fixtures and one case that fails on purpose, for the suite's failures-only view."""
    copy = tmp_path_factory.mktemp("browser-fixtures") / "fixtures"
    shutil.copytree(REPO / "fixtures", copy)
    (copy / "zz_failing.yaml").write_text(
        f"cases:\n  - name: {FAILING_CASE}\n    base: full\n    as_of: 2026-03-20\n"
        "    description: {kk: Әдейі өтпейтін жағдай, ru: Намеренно непроходящий случай}\n"
        "    expect: {outcome: return, codes: [documents_incomplete]}\n", encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def server(tmp_path_factory, fixtures):
    with Gunicorn(tmp_path_factory.mktemp("browser"), SPECREG_ADMIN_TOKEN=TOKEN, WORKERS="1",
                  SPECREG_FIXTURES_DIR=str(fixtures)) as running:
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


def fresh_page(browser, server, lang: str = "ru") -> None:
    """The page as on a first visit: no token given yet in this tab."""
    browser.get(f"{server.url}/admin?lang={lang}")
    browser.execute_script("sessionStorage.clear()")
    browser.get(f"{server.url}/admin?lang={lang}")


def give_token(browser, token: str = TOKEN) -> None:
    field = browser.find_element(By.ID, "token")
    field.clear()
    field.send_keys(token)
    browser.find_element(By.ID, "token-apply").click()


def open_page(browser, server, lang: str = "ru") -> None:
    fresh_page(browser, server, lang)
    give_token(browser)
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
    code = reason.find_element(By.CSS_SELECTOR, ".code").text
    assert code == "documents_incomplete (неполный пакет документов)"
    assert "→ return (вернуть на доработку)" in reason.find_element(By.CSS_SELECTOR, ".reason-head").text
    assert "п. 9 пп. 2) абз. 4 Правил" in reason.find_element(By.CSS_SELECTOR, ".basis").text
    assert "предоставление неполного пакета документов" in reason.find_element(By.CSS_SELECTOR, ".basis").text
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


def test_the_suite_view_shows_the_table_and_coverage(browser, server, fixtures):
    open_page(browser, server)
    browser.find_element(By.CSS_SELECTOR, "[data-view=suite]").click()
    browser.find_element(By.ID, "suite-button").click()
    summary = wait(browser, lambda b: b.find_element(By.ID, "suite-summary").text, 60)
    total = len(collect_cases([fixtures]))
    assert summary == f"Случаев: {total}; прошли: {total - 1}, не прошли: 1"
    assert "(100%)" in browser.find_element(By.ID, "coverage-summary").text
    assert browser.find_element(By.ID, "never-fired").text == "нет"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#suite-results tr")) == total


# --- the flows of issue 13 ----------------------------------------------------------


def status_text(browser) -> str:
    status = browser.find_element(By.ID, "status")
    return "" if not status.is_displayed() else status.text


def set_payload(browser, text: str) -> None:
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, "payload"), text)


def answer_shown(browser) -> bool:
    return browser.find_element(By.ID, "answer").is_displayed()


def test_no_error_and_no_admin_call_before_a_token_is_given(browser, server):
    fresh_page(browser, server)
    state = wait(browser, lambda b: b.find_element(By.ID, "token-state").text)
    assert state.startswith("Чтобы открыть тестовые случаи")
    assert browser.find_element(By.ID, "token-state").get_attribute("class") == "token-state hint"
    assert status_text(browser) == ""
    asked = browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)")
    assert not [url for url in asked if "/api/v1/admin/" in url], asked


def test_the_token_has_its_own_field_and_button_and_a_wrong_one_is_said_so(browser, server):
    fresh_page(browser, server)
    give_token(browser, "not-the-token")
    wait(browser, lambda b: b.find_element(By.ID, "token-state").get_attribute("class") == "token-state bad")
    refused = "Токен не принят: проверьте его и введите снова."
    assert browser.find_element(By.ID, "token-state").text == refused
    assert "(401)" in status_text(browser) and "Требуется аутентификация" in status_text(browser)
    give_token(browser)
    wait(browser, lambda b: len(b.find_elements(By.CSS_SELECTOR, "#fixture option")) > 100)
    assert browser.find_element(By.ID, "token-state").text == "Токен применён"
    assert status_text(browser) == ""


def test_a_failure_clears_the_previous_result(browser, server):
    open_page(browser, server)
    for failing, says in [
        ("{not json", "Заявка не является корректным JSON"),
        ("[" * 70 + "]" * 70, "(400)"),
        (json.dumps({**valid_application(), "previous": {
            "application_id": valid_application()["application_id"], "outcome": "refuse", "reasons": []}}),
         "(409)"),
    ]:
        Select(browser.find_element(By.ID, "fixture")).select_by_index(0)  # so that choosing it loads it
        choose_fixture(browser, "register_clean")
        assert screened(browser).startswith("register")
        assert answer_shown(browser) and browser.find_element(By.ID, "expectation").is_displayed()
        set_payload(browser, failing)
        browser.find_element(By.ID, "screen-button").click()
        wait(browser, lambda b, says=says: says in status_text(b))
        assert not answer_shown(browser), failing[:20]
        assert browser.find_element(By.ID, "outcome").text == ""
        assert not browser.find_element(By.ID, "expectation").is_displayed()


def test_a_network_failure_clears_the_previous_result_too(browser, server):
    open_page(browser, server)
    choose_fixture(browser, "register_clean")
    assert screened(browser).startswith("register")
    browser.execute_script("window.fetch = () => Promise.reject(new TypeError('network down'))")
    browser.find_element(By.ID, "screen-button").click()
    wait(browser, lambda b: "Не удалось связаться с сервисом" in status_text(b))
    assert not answer_shown(browser)


def test_the_suite_shows_failures_only_with_names_broken_between_words(browser, server):
    open_page(browser, server)
    browser.find_element(By.CSS_SELECTOR, "[data-view=suite]").click()
    browser.find_element(By.ID, "suite-failures-only").click()
    browser.find_element(By.ID, "suite-button").click()
    wait(browser, lambda b: b.find_element(By.ID, "suite-summary").text, 60)
    shown = [row for row in browser.find_elements(By.CSS_SELECTOR, "#suite-results tr") if row.is_displayed()]
    assert [row.find_element(By.CSS_SELECTOR, "td.name").text for row in shown] == [FAILING_CASE]
    said = "итог: ожидалось return (вернуть на доработку), получено register (внести в реестр)"
    assert said in shown[0].text
    name = shown[0].find_element(By.CSS_SELECTOR, "td.name")
    assert name.value_of_css_property("overflow-wrap") == "normal"
    assert name.value_of_css_property("word-break") == "normal"
    assert len(name.find_elements(By.TAG_NAME, "wbr")) == FAILING_CASE.count("_")
    for word in FAILING_CASE.split("_"):  # each word on one line: the cell is wider than any word
        assert browser.execute_script(
            "const c = document.createElement('canvas').getContext('2d');"
            "c.font = getComputedStyle(arguments[0].querySelector('code')).font;"
            "return c.measureText(arguments[1]).width <= arguments[0].clientWidth;", name, word)
    browser.find_element(By.ID, "suite-failures-only").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#suite-results tr")
    visible = [row for row in rows if row.is_displayed()]
    assert len(visible) > 100


def test_a_fixtures_description_is_shown_in_the_pages_language(browser, server):
    open_page(browser, server, "kk")
    option = browser.find_element(By.XPATH, f"//select[@id='fixture']//option[text()='{FAILING_CASE}']")
    assert option.get_attribute("title") == "Әдейі өтпейтін жағдай"
    Select(browser.find_element(By.ID, "interface-language")).select_by_value("ru")
    wait(browser, lambda b: b.find_element(By.XPATH, f"//option[text()='{FAILING_CASE}']")
         .get_attribute("title") == "Намеренно непроходящий случай")


def test_a_pointer_link_marks_its_exact_field(browser, server):
    open_page(browser, server)
    choose_fixture(browser, "documents_incomplete_two_missing_one_reason")
    screened(browser)
    link = browser.find_element(By.CSS_SELECTOR, "#reasons a.pointer")
    pointer = link.get_attribute("data-pointer")
    link.click()
    marked = browser.find_elements(By.CSS_SELECTOR, "#payload-view .line.marked")
    assert [line.get_attribute("data-pointer") for line in marked] == [pointer]
    assert marked[0].value_of_css_property("outline-style") == "solid"


def test_the_pages_language_goes_with_every_call(browser, server):
    open_page(browser, server)
    Select(browser.find_element(By.ID, "interface-language")).select_by_value("kk")
    browser.execute_script("""
        window.sentHeaders = [];
        const real = window.fetch;
        window.fetch = (url, init) => {
          window.sentHeaders.push([String(url), Object.assign({}, (init || {}).headers)]);
          return real(url, init);
        };""")
    give_token(browser)  # GET /api/v1/admin/fixtures
    wait(browser, lambda b: b.find_element(By.ID, "token-state").text == "Токен қолданылды")
    browser.find_element(By.CSS_SELECTOR, "[data-view=suite]").click()
    browser.find_element(By.ID, "suite-button").click()
    wait(browser, lambda b: b.find_element(By.ID, "suite-summary").text, 60)
    browser.find_element(By.CSS_SELECTOR, "[data-view=impact]").click()
    browser.find_element(By.ID, "impact-button").click()
    wait(browser, lambda b: b.find_element(By.ID, "impact-summary").text, 60)
    sent = browser.execute_script("return window.sentHeaders")
    assert {url.split("?")[0].rsplit("/", 1)[1] for url, _ in sent} >= {"fixtures", "suite", "impact"}
    assert all(headers.get("Accept-Language") == "kk" for _, headers in sent), sent
    give_token(browser, "not-the-token")  # the answer's problem document comes back in Kazakh
    wait(browser, lambda b: "Аутентификация қажет" in status_text(b))
