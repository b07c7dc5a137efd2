"""``kaderwerk render``: a kader as a publishable document, laid out as markdown or one html file.

What the document says is decided in ``render_document`` (``bouw``); this module only lays it
out, so markdown and html never differ in content. Output is deterministic: the same kader gives
the same bytes (no dates, no versions).
"""

from __future__ import annotations

import html as _html
import re

from kaderwerk.commands.render_document import (
    AANGEPAST,
    NIET_BEOORDEELD,
    RECONSTRUCTIE,
    Alinea,
    Fragment,
    KaderDocument,
    Kop,
    Lijst,
    Melding,
    Noten,
    Veld,
    bouw,
    paragraphs,
)
from kaderwerk.domain.model import Kader
from kaderwerk.domain.tekst import zichtbaar

FORMATS = ("markdown", "html")


def render(kader: Kader, fmt: str = "markdown", basis_titel: str | None = None) -> str:
    """The kader as a document in ``fmt`` (``markdown`` or ``html``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    doc = bouw(kader, basis_titel)
    return zichtbaar(markdown(doc) if fmt == "markdown" else html(doc))


def _md(s: str) -> str:
    s = re.sub(r"([\\`*<]|(?<!\w)_|_(?!\w))", r"\\\1", s)
    if m := re.match(r"\d+([.)])\s", s):
        return s[:m.start(1)] + "\\" + s[m.start(1):]
    return "\\" + s if s[:1] in ("#", "+", "-", "=", "|") else s


def _md_fragment(r: Fragment) -> str:
    s = _md(r.tekst) + "".join(f" *[{m}]*" for m in r.merken)
    return s + (f"<sup>{', '.join(map(str, r.noten))}</sup>" if r.noten else "")


def _md_veld(v: Veld, inspring: str = "") -> list[str]:
    label = v.label if v.label.endswith("?") else v.label + ":"
    alineas = paragraphs(v.tekst)
    regels = [f"{inspring}**{_md(label)}** {_md(alineas[0])}"]
    return regels + [f"{inspring}{_md(a)}" for a in alineas[1:]]


def markdown(doc: KaderDocument) -> str:
    """GitHub-flavoured markdown: headings, lists, bold labels, ``<sup>`` footnote numbers."""
    out: list[str] = []
    for b in doc.blokken:
        if isinstance(b, Kop):
            out.append(f"{'#' * b.niveau} {_md_fragment(b.fragment)}")
        elif isinstance(b, Alinea):
            tekst = _md_fragment(b.fragment)
            out.append(f"*{tekst}*" if b.stijl == "basis" else tekst)
        elif isinstance(b, Veld):
            out += _md_veld(b)
        elif isinstance(b, Melding):
            kop = f"> **{_md(b.titel)}.**"
            out.append("\n>\n".join([kop, *(f"> {_md(a)}" for a in b.alineas)]))
        elif isinstance(b, Lijst):
            items = []
            for p in b.punten:
                kop = f"**{_md(p.nummer)}** " if p.nummer else ""
                items.append("\n\n".join([f"- {kop}{_md_fragment(p.fragment)}",
                                          *("\n\n".join(_md_veld(v, "  ")) for v in p.velden)]))
            out.append(("\n\n" if any(p.velden for p in b.punten) else "\n").join(items))
        elif isinstance(b, Noten):
            out.append("**Noten**")
            out.append("\n".join(f"{n}. {_md(t)}" for n, t in b.noten))
    return "\n\n".join(out) + "\n"


CSS = """
:root{--ink:#1b1b1b;--muted:#555;--accent:#154273;--rule:#d0d7e1}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);-webkit-text-size-adjust:100%;
font:16px/1.55 "Liberation Sans","Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
main{max-width:46rem;margin:0 auto;padding:2.5rem 1.5rem 3rem}
h1,h2,h3,h4{color:var(--accent);line-height:1.25;break-after:avoid}
h1{font-size:1.9rem;margin:0 0 .4rem} h3{font-size:1.08rem;margin:1.6rem 0 .4rem}
h2{font-size:1.35rem;margin:2.4rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--rule)}
h4{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:.9rem 0 .3rem}
p{margin:.45rem 0} .veld p{margin:.35rem 0} .meta{color:var(--muted);font-size:.92rem;margin:.2rem 0}
.basis{border-left:4px solid #6b3fa0;background:#f6f1fb;padding:.5rem .8rem;margin:.8rem 0}
.melding{border:1px solid #c98a00;border-left-width:6px;background:#fff8e6;padding:.6rem .9rem;margin:1rem 0}
.melding strong{color:#7a4f00} .label{font-weight:bold;color:var(--accent)}
.norm{font-style:italic;border-left:3px solid var(--rule);padding-left:.8rem} .norm .label{font-style:normal}
.operationalisering{border-left:3px solid #b9a3d6;padding-left:.7rem;font-size:.95rem}
ol.punten{list-style:none;margin:.3rem 0 .8rem;padding:0}
ol.punten>li{display:grid;grid-template-columns:3.6rem 1fr;column-gap:.5rem;padding:.2rem 0;break-inside:avoid}
ol.regels>li{grid-template-columns:1.6rem 1fr} ol.plafonds>li{display:block}
ol.plafonds .nr{float:left;margin-right:.4rem} ol.plafonds .veld{margin-left:1.2rem}
.nr{font-weight:bold;font-variant-numeric:tabular-nums} ul.bronnen{padding-left:1.2rem}
.merk{display:inline-block;font-size:.72rem;font-weight:bold;padding:0 .35rem;margin-left:.3rem;
border-radius:.25rem;border:1px solid;vertical-align:.1em;white-space:nowrap;font-style:normal}
.merk-reconstructie{color:#8a4b00;background:#fff1dc} .merk-aangepast{color:#5b2d8e;background:#f3ecfb}
.merk-niet-beoordeeld{color:#4a4a4a;background:#eee}
sup{font-size:.7em;line-height:0} sup a{color:var(--accent);text-decoration:none}
.noten{border-top:1px solid var(--rule);margin-top:1rem;padding-top:.4rem;font-size:.85rem;color:#333}
.noten ol{margin:.2rem 0;padding-left:2rem} .noten li{margin:.2rem 0}
.noten p.kop{font-weight:bold;margin:.2rem 0;color:var(--muted)}
@page{margin:2cm 2cm 2.2cm}
@media print{body{font-size:10.5pt} main{max-width:none;padding:0} .melding,.basis{break-inside:avoid}}
"""  # noqa: E501


MERKKLASSE = {RECONSTRUCTIE: "reconstructie", AANGEPAST: "aangepast",
              NIET_BEOORDEELD: "niet-beoordeeld"}


def _h(s: str) -> str:
    return _html.escape(s, quote=True)


def _h_fragment(r: Fragment) -> str:
    s = _h(r.tekst) + "".join(
        f'<span class="merk merk-{MERKKLASSE.get(m, "ander")}">[{_h(m)}]</span>' for m in r.merken)
    if r.noten:
        s += "<sup>" + ", ".join(f'<a href="#noot-{n}">{n}</a>' for n in r.noten) + "</sup>"
    return s


def _h_veld(v: Veld) -> str:
    alineas = paragraphs(v.tekst)
    eerste = f'<p><span class="label">{_h(v.label)}</span> {_h(alineas[0])}</p>'
    stijl = f"veld {v.stijl}".strip()
    return f'<div class="{_h(stijl)}">' + eerste + "".join(
        f"<p>{_h(a)}</p>" for a in alineas[1:]) + "</div>"


def html(doc: KaderDocument) -> str:
    """One self-contained html file: inline CSS, no scripts, no external resources."""
    out = []
    for b in doc.blokken:
        if isinstance(b, Kop):
            anker = f' id="{_h(b.anker)}"' if b.anker else ""
            out.append(f"<h{b.niveau}{anker}>{_h_fragment(b.fragment)}</h{b.niveau}>")
        elif isinstance(b, Alinea):
            klasse = f' class="{_h(b.stijl)}"' if b.stijl else ""
            out.append(f"<p{klasse}>{_h_fragment(b.fragment)}</p>")
        elif isinstance(b, Veld):
            out.append(_h_veld(b))
        elif isinstance(b, Melding):
            out.append(f'<div class="melding" role="note"><p><strong>{_h(b.titel)}.</strong> '
                       + "</p><p>".join(_h(a) for a in b.alineas) + "</p></div>")
        elif isinstance(b, Lijst):
            if b.stijl == "bronnen":
                out.append('<ul class="bronnen">' + "".join(
                    f"<li>{_h_fragment(p.fragment)}</li>" for p in b.punten) + "</ul>")
                continue
            out.append(f'<ol class="punten {_h(b.stijl)}">' + "".join(
                f'<li><span class="nr">{_h(p.nummer)}</span><div>{_h_fragment(p.fragment)}'
                + "".join(_h_veld(v) for v in p.velden) + "</div></li>" for p in b.punten)
                + "</ol>")
        elif isinstance(b, Noten):
            out.append('<div class="noten"><p class="kop">Noten</p><ol>' + "".join(
                f'<li value="{n}" id="noot-{n}">{_h(t)}</li>' for n, t in b.noten) + "</ol></div>")
    return ('<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_h(doc.titel)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(out) + "\n</main>\n</body>\n</html>\n")
