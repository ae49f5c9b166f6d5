"""The registry entry of a registering screening (p.3-p.4 of the Rules), through the HTTP API."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from payloads import valid_application
from specreg.data_files import DataFileError
from specreg.paths import REPO_ROOT
from specreg.web.app import create_app

SCREENINGS = "/api/v1/screenings?as_of=2026-03-20"
FORM_FILE = REPO_ROOT / "rules" / "reference" / "registry_form.yaml"
FORM = yaml.safe_load(FORM_FILE.read_text(encoding="utf-8"))


def entry(client, payload, language="ru"):
    answer = client.post(SCREENINGS, json=payload, headers={"Accept-Language": language})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["outcome"] == "register", body["reasons"]
    return {column["key"]: column for column in body["registry_entry"]["columns"]}


def qualified_application() -> dict:
    payload = valid_application()
    payload["specialist"]["experience_months"] = 62
    payload["specialist"]["qualification"] = {
        "category": "first", "assigned_on": "2024-06-10",
        "commission": {"authority": "Аттестационная комиссия г. Астаны"}, "order_number": "12-о",
    }
    payload["verifications"]["qualification_record"] = {
        "status": "found", "category": "first", "assigned_on": "2024-06-10",
    }
    payload["documents"].append(
        {"kind": "qualification_certificate", "number": "QC-1", "issued_on": "2024-06-10",
         "valid_until": None}
    )
    return payload


def test_register_answer_carries_the_ten_columns_of_the_form_labelled_in_kk_and_ru(client):
    body = client.post(SCREENINGS, json=valid_application()).get_json()
    columns = body["registry_entry"]["columns"]
    assert [c["key"] for c in columns] == [c["key"] for c in FORM["columns"]]
    assert len(columns) == 10
    assert [c["number"] for c in columns] == list(range(1, 11))
    assert [c["label"] for c in columns] == [
        {"kk": c["label"]["kk"], "ru": c["label"]["ru"]} for c in FORM["columns"]]
    assert columns[0]["label"]["ru"] == "Фамилия, имя, отчество (при его наличии) специалиста"
    assert columns[7]["label"]["ru"] == ("сведения по трудовой деятельности (наименование организации, БИН, "
                                         "должность, дата начала работы, дата окончания)")
    assert "БСН" in columns[7]["label"]["kk"]
    included = columns[-1]
    assert included["key"] == "included_on"
    assert included["value"] is None and included["text"] == {"kk": "", "ru": ""}


def test_entry_is_rendered_in_both_languages(client):
    columns = entry(client, qualified_application())
    text = {key: column["text"] for key, column in columns.items()}
    assert text["full_name"] == {"kk": "Жұмабеков Асқар Серікұлы", "ru": "Жұмабеков Асқар Серікұлы"}
    assert text["birth_date"] == {"kk": "01.05.1985", "ru": "01.05.1985"}
    assert text["contacts"]["ru"] == "+77011234567, askar@example.kz"
    assert text["address"]["ru"].startswith("город Астана, Астана, район Есиль")
    assert text["address"]["kk"].startswith("Астана қаласы, Астана, район Есиль")
    assert text["profession"] == {"kk": "әлеуметтік жұмыс жөніндегі маман",
                                  "ru": "специалист по социальной работе"}
    assert text["experience"] == {"kk": "5 жыл 2 ай", "ru": "5 лет 2 месяца"}
    # Column 7: level, institution, start and end dates, document (the form lists no specialty).
    assert text["education"]["ru"] == (
        "высшее образование, Евразийский национальный университет имени Л. Н. Гумилева, "
        "01.09.2002 – 30.06.2006, диплом ЖБ-Б № 0123456 от 30.06.2006"
    )
    assert text["education"]["kk"].startswith("жоғары білім, ")
    assert "30.06.2006 берілген" in text["education"]["kk"]
    # Column 8: organisation, BIN, position, start and end dates.
    assert text["work_record"]["ru"] == (
        "ГУ «Центр оказания специальных социальных услуг», БИН 940140000385, "
        "специалист по социальной работе, 01.02.2021 – по настоящее время"
    )
    assert "БСН 940140000385" in text["work_record"]["kk"]
    assert "қазіргі уақытқа дейін" in text["work_record"]["kk"]
    # Column 9: category, date assigned, the attestation commission's authority (no order number).
    assert text["qualification"]["ru"] == "первая категория, 10.06.2024, Аттестационная комиссия г. Астаны"
    assert text["qualification"]["kk"] == "бірінші санат, 10.06.2024, Аттестационная комиссия г. Астаны"


def test_entry_values_are_structured_for_programs(client):
    columns = entry(client, qualified_application())
    assert columns["birth_date"]["value"] == "1985-05-01"
    assert columns["profession"]["value"] == {
        "id": "social_work_specialist", "kk": "әлеуметтік жұмыс жөніндегі маман",
        "ru": "специалист по социальной работе",
    }
    assert columns["experience"]["value"] == {"months_total": 62, "years": 5, "months": 2}
    assert columns["qualification"]["value"] == {
        "category": "first", "assigned_on": "2024-06-10",
        "commission": {"authority": "Аттестационная комиссия г. Астаны"},
    }
    assert columns["education"]["value"][0]["document"] == {
        "kind": "diploma", "series": "ЖБ-Б", "number": "0123456", "issued_on": "2006-06-30",
    }
    assert columns["address"]["value"]["region"] == "astana"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_entry_is_bilingual_whatever_the_answer_language(client, language):
    """p.4: the registry is kept in kk and ru; Accept-Language changes the messages only."""
    assert entry(client, valid_application(), language) == entry(client, valid_application(), "ru")


def test_a_kazakh_profession_name_is_entered_with_the_classifier_names(client):
    payload = valid_application()
    payload["language"] = "kk"
    payload["specialist"]["profession"] = "Әлеуметтік  жұмыс жөніндегі маман"
    payload["specialist"]["employment"][0]["position"] = "әлеуметтік жұмыс жөніндегі маман"
    columns = entry(client, payload, "kk")
    assert columns["profession"]["text"]["ru"] == "специалист по социальной работе"


@pytest.mark.parametrize(
    ("months", "ru", "kk"),
    [(0, "0 лет 0 месяцев", "0 жыл 0 ай"), (1, "0 лет 1 месяц", "0 жыл 1 ай"),
     (25, "2 года 1 месяц", "2 жыл 1 ай"), (137, "11 лет 5 месяцев", "11 жыл 5 ай"),
     (255, "21 год 3 месяца", "21 жыл 3 ай")],
)
def test_experience_is_written_in_years_and_months(client, months, ru, kk):
    payload = valid_application()
    payload["specialist"]["experience_months"] = months
    assert entry(client, payload)["experience"]["text"] == {"kk": kk, "ru": ru}


def test_no_patronymic_no_category_and_one_contact(client):
    payload = valid_application()
    payload["specialist"]["patronymic"] = None
    del payload["specialist"]["contacts"]["mobile_phone"]
    columns = entry(client, payload)
    assert columns["full_name"]["text"]["ru"] == "Жұмабеков Асқар"
    assert columns["contacts"]["text"]["ru"] == "askar@example.kz"
    assert columns["qualification"]["text"] == {"kk": "санаты жоқ", "ru": "без категории"}
    assert columns["qualification"]["value"] is None


def test_no_entry_unless_the_outcome_is_register(client):
    payload = valid_application()
    payload["documents"].pop()
    body = client.post(SCREENINGS, json=payload).get_json()
    assert body["outcome"] == "return"
    assert "registry_entry" not in body


def _rules_copy(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(REPO_ROOT / "rules", rules)
    return rules


@pytest.mark.parametrize(
    ("breakage", "said"),
    [
        (lambda form: form["columns"][0]["label"].pop("kk"), "lacks the required key(s) 'kk'"),
        (lambda form: form["columns"].__setitem__(1, form["columns"][0]), "each of the ten keys"),
        (lambda form: form["texts"]["work"].__setitem__("ru", "{period}: {salary}"), "salary"),
        (lambda form: form["units"]["years"]["ru"].pop("other"), "lacks the required key(s) 'other'"),
    ],
)
def test_a_broken_form_file_stops_start_up_naming_it(tmp_path, breakage, said):
    rules = _rules_copy(tmp_path)
    form_file = rules / "reference" / "registry_form.yaml"
    form = yaml.safe_load(form_file.read_text(encoding="utf-8"))
    breakage(form)
    form_file.write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        create_app({"RULES_DIR": str(rules)})
    assert "registry_form.yaml" in str(raised.value)
    assert said in str(raised.value)


def test_an_administrator_relabels_a_column_without_a_code_change(tmp_path):
    rules = _rules_copy(tmp_path)
    form_file = rules / "reference" / "registry_form.yaml"
    form = yaml.safe_load(form_file.read_text(encoding="utf-8"))
    form["columns"][1]["label"]["ru"] = "Дата рождения специалиста"
    form_file.write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
    client = create_app({"RULES_DIR": str(rules)}).test_client()
    columns = entry(client, valid_application())
    assert columns["birth_date"]["label"]["ru"] == "Дата рождения специалиста"
