"""The style and script of the interactive kader page (``kaderwerk.commands.interactief``).

Kept apart from the Python that builds the page so each reads as one language. The script only
looks answers up in the page's data (computed by the engine): it counts the ticked scores,
builds the key ``"v,o,nb|feiten"`` (or ``"oordeel|feiten"`` for handmatig), and shows the
entry. It applies no beslisregel and no plafond of its own.
"""

from __future__ import annotations

CSS = """
*{box-sizing:border-box}
body{margin:0;color:#1b1b1b;background:#fff;line-height:1.45;overflow-wrap:anywhere;
font:16px/1.45 system-ui,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{background:#263238;color:#fff;padding:20px 16px 14px}
header .binnen,main{max-width:60rem;margin:0 auto}
header h1{margin:0 0 4px;font-size:1.5rem;font-weight:600} header p{margin:0;color:#cfd8dc}
main{padding:0 16px 40px} h2{font-size:1.25rem;margin:28px 0 8px;border-bottom:2px solid #eceff1}
h3{font-size:1.05rem;margin:0 0 6px} code{font-size:.92em;overflow-wrap:anywhere}
.uitleg,.herkomst{font-size:.92rem;color:#424242}
.herkomst{border-left:4px solid #ef6c00;background:#fff3e0;padding:6px 10px}
fieldset.feiten{border:1px solid #cfd8dc;border-radius:6px;margin:12px 0;padding:8px 12px}
fieldset.feiten label{display:inline-block;margin:4px 16px 4px 0}
.doel{border:1px solid #e0e0e0;border-radius:6px;padding:12px;margin:12px 0}
.regeltype{font-size:.88rem;color:#555;margin:4px 0 8px}
.melding{border-left:4px solid #c62828;padding-left:8px}
ol.verwachtingen{list-style:none;margin:0;padding:0}
ol.verwachtingen li{display:grid;grid-template-columns:3.4rem 1fr;gap:2px 8px;padding:6px 0;
border-top:1px solid #f1f3f4}
ol.verwachtingen .nr{font-weight:600;font-variant-numeric:tabular-nums}
ol.verwachtingen .keuzes{grid-column:2;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.9rem}
.keuzes label{white-space:nowrap;cursor:pointer} .keuzes .vast{color:#757575}
.uitkomst{margin-top:10px;background:#f5f7f8;border-radius:6px;padding:8px 12px}
.uitkomst p{margin:3px 0;font-size:.92rem} .uitkomst p:empty,.uitkomst p.leeg{display:none}
.uitkomst .label{font-weight:600;color:#37474f}
.badge{display:inline-block;padding:1px 10px;border-radius:10px;color:#fff;font-weight:600;
background:#9e9e9e} .badge.voldoende{background:#2e7d32} .badge.matig{background:#ef6c00}
.badge.onvoldoende{background:#c62828}
.telling{font-size:.88rem;color:#555;margin-left:6px}
footer{max-width:60rem;margin:0 auto;padding:12px 16px 32px;color:#616161;font-size:.85rem}
.klein{color:#616161;font-size:.85rem}
@media print{header{background:none;color:#000} header p{color:#333} .doel{break-inside:avoid}}
"""

SCRIPT = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kaderdata").textContent);
  var T = D.teksten;
  function tekst(i) { return i === null || i === undefined ? "" : T[i]; }
  function keuze(vid) {
    var els = document.getElementsByName("s:" + vid);
    for (var i = 0; i < els.length; i++) { if (els[i].checked) { return els[i].value; } }
    return "n";
  }
  function feitSleutel(d) {
    return d.feiten.map(function (f) { return document.getElementById("f:" + f).value; })
      .join(",");
  }
  function zet(box, rol, label, waarde) {
    var p = box.querySelector('[data-rol="' + rol + '"]');
    p.querySelector(".label").textContent = label;
    p.querySelector(".waarde").textContent = waarde;
    p.className = waarde ? "" : "leeg";
  }
  function werkBij(d) {
    if (d.soort === "anders") { return; }
    var box = document.getElementById("uitkomst:" + d.id);
    var sleutel, tel = "";
    if (d.soort === "telling") {
      var v = 0, o = 0, n = 0;
      d.verwachtingen.forEach(function (vid) {
        var k = keuze(vid);
        if (k === "v") { v++; } else if (k === "o") { o++; } else { n++; }
      });
      sleutel = v + "," + o + "," + n;
      tel = v + " voldoende, " + o + " onvoldoende, " + n + " niet beoordeeld";
    } else {
      sleutel = document.getElementById("h:" + d.id).value;
    }
    var r = d.tabel[sleutel + "|" + feitSleutel(d)];
    var badge = box.querySelector('[data-rol="oordeel"]');
    box.querySelector('[data-rol="telling"]').textContent = tel;
    if (!r) {
      badge.textContent = "niet toegestaan";
      badge.className = "badge";
      badge.setAttribute("data-oordeel", "");
      ["clausule", "voorwaarden", "regel", "plafond", "afstand", "bandbreedte"].forEach(
        function (rol) { zet(box, rol, "", ""); });
      zet(box, "regel", "Let op:", "deze invoer neemt kaderwerk assess niet aan.");
      return;
    }
    badge.textContent = r[0] === null ? "geen oordeel" : r[0];
    badge.className = "badge " + (r[0] || "");
    badge.setAttribute("data-oordeel", r[0] === null ? "" : r[0]);
    var c = r[1] === null ? null : d.clausules[r[1] - 1];
    var eigen = c ? (c.tekst || c.zin || c.oordeel) : "";
    zet(box, "clausule", !c ? "" : d.soort === "handmatig" ? "Regel:" : "Regel " + r[1] + ":",
        eigen);
    zet(box, "voorwaarden", c && c.zin && c.zin !== eigen ? "Voorwaarden:" : "",
        c && c.zin && c.zin !== eigen ? c.zin : "");
    zet(box, "regel", c ? "" : "Toelichting:", c ? "" : tekst(r[2]));
    var p = r[3] === null ? null : d.plafonds[r[3]];
    zet(box, "plafond", p ? "Plafond:" : "", p ? "ten hoogste " + p.max + " (" + p.feit + " = " +
        p.waarde + "): " + p.reden + " " + (r[4] ? "Verlaagd van " + r[5] + " naar " + r[0] +
        "." : "Niet verlaagd.") : "");
    zet(box, "afstand", "Grens:", tekst(r[6]));
    zet(box, "bandbreedte", "Met de open verwachtingen:",
        r[7] === "" ? "" : "van " + (r[7] || "geen oordeel") + " tot " +
        (r[8] || "geen oordeel"));
    box.setAttribute("data-clausule", r[1] === null ? "" : String(r[1]));
    box.setAttribute("data-plafond", p ? p.feit + "=" + p.waarde + ":" + p.max +
        (r[4] ? ":verlaagd" : "") : "");
  }
  var herkomstNaam = null, herkomstKader = null;
  function fragment() {
    var delen = [];
    if (herkomstNaam) { delen.push("naam=" + encodeURIComponent(herkomstNaam)); }
    if (herkomstKader) { delen.push("kader=" + encodeURIComponent(herkomstKader)); }
    var letters = D.verwachtingen.map(keuze).join("");
    delen.push("s=" + letters);
    Object.keys(D.feiten).forEach(function (f) {
      var i = document.getElementById("f:" + f).value;
      if (i !== "0") { delen.push("f." + encodeURIComponent(f) + "=" +
                                  encodeURIComponent(D.feiten[f][i])); }
    });
    D.doelen.forEach(function (d) {
      var h = document.getElementById("h:" + d.id);
      if (h && h.value) { delen.push("h." + encodeURIComponent(d.id) + "=" +
                                     encodeURIComponent(h.value)); }
    });
    return delen.join("&");
  }
  function toonHerkomst(alleenTellingen) {
    var herkomst = document.getElementById("herkomst");
    herkomst.hidden = !herkomstNaam;
    herkomst.textContent = !herkomstNaam ? "" : "Ingevuld voor " + herkomstNaam +
      (alleenTellingen ? ". Het rapport geeft per criterium alleen de aantallen, niet welke " +
       "verwachting welke score kreeg: de eerste verwachtingen staan op voldoende, dan " +
       "onvoldoende." : ".");
  }
  function alles(bewaar) {
    D.doelen.forEach(werkBij);
    if (bewaar) {
      toonHerkomst(false);
      try { history.replaceState(null, "", "#" + fragment()); } catch (e) { /* file: */ }
    }
  }
  function zetScore(vid, w) {
    var els = document.getElementsByName("s:" + vid);
    for (var i = 0; i < els.length; i++) {
      if (els[i].value === w && !els[i].disabled) { els[i].checked = true; }
    }
  }
  // The address replaces the whole state, as on a fresh load: what it leaves out is reset.
  function lees() {
    var q = new URLSearchParams(location.hash.replace(/^#/, ""));
    var s = q.get("s");
    D.verwachtingen.forEach(function (vid, i) { zetScore(vid, s && s[i] ? s[i] : "v"); });
    var alleenTellingen = false;
    D.doelen.forEach(function (d) {
      var t = q.get("t." + d.id);
      if (t && !s && d.id !== "organisatie") {
        alleenTellingen = true;
        var n = t.split(",").map(Number), v = n[0], o = n[1];
        d.verwachtingen.forEach(function (vid) {
          var els = document.getElementsByName("s:" + vid);
          if (els.length && els[0].disabled) { return; }
          if (v > 0) { zetScore(vid, "v"); v--; } else if (o > 0) { zetScore(vid, "o"); o--; }
          else { zetScore(vid, "n"); }
        });
      }
      var h = q.get("h." + d.id), sel = document.getElementById("h:" + d.id);
      if (sel) { sel.value = h === null ? "" : h; }
    });
    Object.keys(D.feiten).forEach(function (f) {
      var w = q.get("f." + f), sel = document.getElementById("f:" + f);
      var i = w === null ? 0 : D.feiten[f].indexOf(w);
      sel.value = String(i < 0 ? 0 : i);
    });
    herkomstNaam = q.get("naam") || null;
    herkomstKader = q.get("kader") || null;
    toonHerkomst(alleenTellingen);
  }
  document.addEventListener("change", function () { alles(true); });
  window.addEventListener("hashchange", function () { lees(); alles(false); });
  lees();
  alles(false);
}());
"""
