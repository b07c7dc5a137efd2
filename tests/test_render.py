"""``kaderwerk render``: a kader as a publishable markdown or html document."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from kaderwerk.sources.catalog import catalog

from .conftest import ROOT

STAP1_YAML = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}


def _render(run_cli, *args: str) -> str:
    code, out, err = run_cli("render", *args)
    assert code == 0, err
    return out


def _item(md: str, vid: str) -> str:
    """The markdown list item of verwachting ``vid``, up to the next item or heading."""
    m = re.search(rf"^- \*\*{re.escape(vid)}\*\* .*?(?=^- \*\*|^#|^\*\*Noten|\Z)", md,
                  re.M | re.S)
    assert m, f"no item {vid}"
    return m.group(0)


def _noot(md: str, n: str) -> str:
    m = re.search(rf"^{n}\. (.*)$", md, re.M)
    assert m, f"no note {n}"
    return m.group(1)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")


def test_markdown_stap1_has_every_verwachting_and_the_rule(run_cli) -> None:
    """Stap 1's markdown lists every verwachting id with its text and the Randvoorwaarden rule."""
    md = _render(run_cli, "veilig-thuis-stap-1")
    kader = catalog().get("veilig-thuis-stap-1")
    assert len(kader.verwachtingen) == 25
    for v in kader.verwachtingen:
        assert f"- **{v.id}** {v.tekst}" in md
    regel = kader.criteria[0].beslisregel.beschrijving()
    assert regel.startswith("Het oordeel op de criteria bij het thema Randvoorwaarden is:")
    assert regel in md
    assert "Geldt voor criteria 1.1, 1.2 en 1.3 (thema 1 Randvoorwaarden)." in md
    assert md.startswith("# Toetsingskader Veilig Thuis Stap 1\n")
    assert "geldig vanaf 1 juli 2015" in md and "## 1 Randvoorwaarden" in md


def test_markdown_marks_niet_beoordeeld_with_its_footnote(run_cli) -> None:
    """3.1.1 (and only 3.1.1) is marked niet beoordeeld, with its footnote listed in thema 3."""
    md = _render(run_cli, "veilig-thuis-stap-1")
    item = _item(md, "3.1.1")
    assert "*[niet beoordeeld]*" in item
    n = re.search(r"<sup>(\d+)</sup>", item).group(1)
    assert _noot(md, n).startswith("Deze indicator wordt nog niet beoordeeld")
    assert md.count("*[niet beoordeeld]*") == 1
    thema3 = md[md.index("## 3 Organisatie"):md.index("## Beslisregels")]
    assert f"\n{n}. Deze indicator" in thema3


def test_html_is_self_contained_and_well_formed(run_cli) -> None:
    """The html parses, is balanced, has lang nl and utf-8, and no external src or href."""
    for ref in ("veilig-thuis-stap-1", "veilig-thuis-stap-2", "signaleren-van-onveiligheid"):
        page = _render(run_cli, ref, "--format", "html")
        p = _Tags()
        p.feed(page)
        p.close()
        assert p.errors == [] and p.stack == [], ref
        tags = {t for t, _ in p.starts}
        assert '<html lang="nl">' in page and ("meta", {"charset": "utf-8"}) in p.starts
        assert not tags & {"script", "link", "img", "iframe", "object"}, ref
        ids = {a["id"] for _, a in p.starts if a.get("id")}
        for _, attrs in p.starts:
            assert "src" not in attrs
            if "href" in attrs:
                assert attrs["href"].startswith("#") and attrs["href"][1:] in ids
        assert "url(" not in page and "@import" not in page


def test_html_escapes_text(run_cli, tmp_path: Path) -> None:
    """Text from the kader is escaped: a title with markup shows as text, not as tags."""
    kader = tmp_path / "kader.yaml"
    kader.write_text(STAP1_YAML.read_text(encoding="utf-8").replace(
        "titel: Toetsingskader Veilig Thuis Stap 1",
        "titel: 'Kader <b>vet</b> & \"zo\"'"), encoding="utf-8")
    page = _render(run_cli, str(kader), "--format", "html")
    assert "<b>" not in page
    assert "<h1 id=\"kader\">Kader &lt;b&gt;vet&lt;/b&gt; &amp; &quot;zo&quot;</h1>" in page
    assert "<title>Kader &lt;b&gt;vet&lt;/b&gt;" in page
    md = _render(run_cli, str(kader))
    assert md.startswith("# Kader \\<b>vet\\</b> & \"zo\"\n")


def test_stap2_marks_reconstructions_and_shows_the_plafond(run_cli) -> None:
    """Stap 2: reconstructions carry [reconstructie] and a note; the plafond has its reden."""
    md = _render(run_cli, "veilig-thuis-stap-2")
    item = _item(md, "1.2.1")
    assert "*[reconstructie]*" in item
    n = re.search(r"<sup>(\d+)</sup>", item).group(1)
    assert _noot(md, n).startswith("[reconstructie] Gereconstrueerd uit: \"Eén Veilig Thuis")
    assert "## 1 Kwaliteit van het doen van onderzoek *[reconstructie]*" in md
    plafonds = md[md.index("### Plafonds"):md.index("## Bronnen")]
    assert "**wachtlijst = ja** → ten hoogste matig, voor het oordeel over de organisatie." \
        in plafonds
    assert ("**Reden:** Als er een wachtlijst aanwezig is, kan een Veilig Thuis niet hoger "
            "scoren dan «matig».") in plafonds
    page = _render(run_cli, "veilig-thuis-stap-2", "--format", "html")
    assert '<span class="merk merk-reconstructie">[reconstructie]</span>' in page
    assert "niet hoger scoren dan «matig»" in page


def test_overlay_names_basis_and_marks_aangepast(run_cli) -> None:
    """The overlay names its basis and marks aangepast items with their operationalisering."""
    md = _render(run_cli, "signaleren-van-onveiligheid")
    assert "basiskader Toezichtkader Stelseltoezicht Jeugd (stelseltoezicht-jeugd@2015)" in md
    kader = catalog().get("signaleren-van-onveiligheid")
    aangepast = [v for v in kader.verwachtingen if v.aangepast]
    assert len(aangepast) >= 5
    for v in aangepast:
        item = _item(md, v.id)
        assert "*[aangepast in deze studie]*" in item.splitlines()[0]
        eerste = " ".join(v.operationalisering.split("\n\n")[0].split())
        assert f"**Operationalisering:** {eerste}" in item
    for v in kader.verwachtingen:
        if not v.aangepast:
            assert "aangepast" not in _item(md, v.id)
    assert "#### Indicatoren" in md and "#### Verwachtingen" not in md


def test_incomplete_kader_has_a_notice_at_the_top(run_cli) -> None:
    """Volwassenen (bron.volledig false) opens with a notice; the complete Stap 1 has none."""
    md = _render(run_cli, "stelseltoezicht-volwassenen")
    top = md[:md.index("\n## ")]
    assert "> **Onvolledig kader.**" in top
    assert "Alleen de opening van de webpagina" in top
    assert "## 2 Lokale samenhang\n\nDit kader geeft bij dit thema geen criteria." in md
    page = _render(run_cli, "stelseltoezicht-volwassenen", "--format", "html")
    assert page.index('class="melding"') < page.index("<h2")
    assert "Onvolledig kader" not in _render(run_cli, "veilig-thuis-stap-1")


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_output_file_is_written_and_deterministic(run_cli, tmp_path: Path, fmt: str) -> None:
    """-o writes the same bytes as stdout, and two renders are byte-identical."""
    a, b = tmp_path / "a" / "kader.out", tmp_path / "b.out"
    for target in (a, b):
        code, out, err = run_cli("render", "signaleren-van-onveiligheid", "--format", fmt,
                                 "-o", str(target))
        assert code == 0, err
        assert out == ""
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() == _render(run_cli, "signaleren-van-onveiligheid",
                                     "--format", fmt).encode("utf-8")
    assert not list(tmp_path.rglob("*.tmp"))


def test_refuses_to_overwrite_the_kader_file(run_cli, tmp_path: Path) -> None:
    """-o naming the kader file itself is refused (exit 2) and the file is left alone."""
    kader = tmp_path / "kader.yaml"
    kader.write_bytes(STAP1_YAML.read_bytes())
    code, out, err = run_cli("render", str(kader), "-o", str(kader))
    assert code == 2 and "refusing" in err and out == ""
    assert kader.read_bytes() == STAP1_YAML.read_bytes()


def test_unknown_kader_exits_1(run_cli) -> None:
    """An unknown kader gives exit 1, a message naming it and no output."""
    code, out, err = run_cli("render", "geen-kader")
    assert code == 1 and out == ""
    assert "geen-kader" in err and "Traceback" not in err


def test_bad_format_exits_2(run_cli) -> None:
    """An unknown --format is a usage error: exit 2."""
    code, out, err = run_cli("render", "veilig-thuis-stap-1", "--format", "pdf")
    assert code == 2 and out == ""
    assert "pdf" in err
