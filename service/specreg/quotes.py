"""Words of the act as the rule data quotes them.

The administrator who signs a refusal, and a court that hears an appeal, read
the order's own text. So every text the product shows as the law's words (the
act's citation and title, the grounds of p.9, the registry form's title and
columns) is a :class:`Quote`: Russian verbatim from the published text, with
its place in the act and the source's own slips noted beside it; Kazakh a
working translation until an official Kazakh text is added, and marked so
(``schemas/quote.schema.json``). What specreg makes of a ground lives in the
rules and their messages, never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Slip:
    """A slip of the published text, kept as published: what it says and what it means."""

    as_published: str
    reads: str
    note: dict[str, str]


@dataclass(frozen=True)
class Quote:
    """A text of the act in Russian (verbatim) and Kazakh (a working translation unless official)."""

    ru: str
    kk: str
    kk_translation: str
    where: dict[str, Any]
    slips: tuple[Slip, ...] = ()

    @classmethod
    def from_data(cls, data: dict[str, Any], where: dict[str, Any] | None = None) -> Quote:
        """A quote of a data file; ``where`` is given by the caller when the file says it elsewhere."""
        return cls(
            ru=data["ru"], kk=data["kk"], kk_translation=data["kk_translation"],
            where=where if where is not None else data["where"],
            slips=tuple(Slip(s["as_published"], s["reads"], s["note"]) for s in data.get("slips", ())),
        )

    @property
    def texts(self) -> dict[str, str]:
        """The text in kk and ru, the shape the contract's ``basis.text`` has."""
        return {"kk": self.kk, "ru": self.ru}

    def __getitem__(self, lang: str) -> str:
        return self.texts[lang]

    @property
    def status(self) -> dict[str, str]:
        """How each language's text stands: ru quoted verbatim, kk a working or an official text."""
        return {"kk": "working_translation" if self.kk_translation == "working" else "official",
                "ru": "verbatim"}

    def as_json(self) -> dict[str, Any]:
        """The quote with its marks, as the rule set API and the page show it."""
        body: dict[str, Any] = {**self.texts, "status": self.status, "where": self.where}
        if self.slips:
            body["slips"] = [
                {"as_published": s.as_published, "reads": s.reads, "note": s.note} for s in self.slips
            ]
        return body
