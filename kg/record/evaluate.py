"""Scoring per spec section 5, figure for figure the same as the reference scorer
(shared/tools/score.py), plus the lists of misses and false positives that make it useful."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from ontology.vocab import fold


def _names(e: dict[str, Any]) -> set[str]:
    return {fold(x) for x in [e.get("name", "")] + list(e.get("aliases") or []) if fold(x)}


def _align(gold_ents: list[dict], sys_ents: list[dict]) -> dict[str, str]:
    m: dict[str, str] = {}
    used: set[str] = set()
    for s in sys_ents:
        sn = _names(s)
        for g in gold_ents:
            if g["id"] in used or g["type"] != s.get("type") or g["type"] == "Agreement":
                continue
            if sn & _names(g):
                m[s["id"]] = g["id"]
                used.add(g["id"])
                break
    return m


def _parties(rels: list[dict], agr_id: str, idmap: dict[str, str] | None = None) -> frozenset:
    out = set()
    for r in rels:
        if r.get("predicate") == "PARTY_TO" and r.get("object") == agr_id:
            out.add(idmap.get(r["subject"]) if idmap is not None else r["subject"])
    out.discard(None)
    return frozenset(out)


def _rule(r: dict) -> str:
    rule = r.get("rule")
    return rule if isinstance(rule, str) and rule else "unknown"


@dataclass
class Report:
    tally: dict = field(default_factory=lambda: defaultdict(lambda: {"tp": 0, "sys": 0, "gold": 0}))
    # (predicate, rule) -> system relations and true positives; the gold side is the predicate's
    rules: dict = field(default_factory=lambda: defaultdict(lambda: {"tp": 0, "sys": 0}))
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    missing_docs: list[str] = field(default_factory=list)
    docs: int = 0
    failed_docs: list[str] = field(default_factory=list)

    def prf(self, kind: str, key: str | None = None) -> tuple[float, float, float]:
        agg = {"tp": 0, "sys": 0, "gold": 0}
        for (k, t), d in self.tally.items():
            if k == kind and (key is None or t == key):
                for x in agg:
                    agg[x] += d[x]
        p = agg["tp"] / agg["sys"] if agg["sys"] else 0.0
        r = agg["tp"] / agg["gold"] if agg["gold"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def summary(self) -> dict[str, Any]:
        ep, er, ef = self.prf("ent")
        rp, rr, rf = self.prf("rel")
        t = self.tally["title", "HOLDS_POSITION"]
        title_acc = t["tp"] / t["gold"] if t["gold"] else 0.0
        return {"entity_f1": round(ef, 3), "entity_p": round(ep, 3), "entity_r": round(er, 3),
                "relation_f1": round(rf, 3), "relation_p": round(rp, 3),
                "relation_r": round(rr, 3), "title_acc": round(title_acc, 3),
                "docs": self.docs, "missing": len(self.missing_docs)}

    def rule_rows(self) -> list[dict[str, Any]]:
        """Per extraction rule: P = tp/sys; R = the share of the predicate's gold relations that
        this rule found (each matched gold key is credited to the system relation that matched it,
        so a predicate's rule recalls add up to its recall). By predicate, then most output first."""
        rows = []
        for (pred, rule), d in self.rules.items():
            gold = self.tally["rel", pred]["gold"]
            rows.append({"predicate": pred, "rule": rule,
                         "p": d["tp"] / d["sys"] if d["sys"] else 0.0,
                         "r": d["tp"] / gold if gold else 0.0,
                         "tp": d["tp"], "sys": d["sys"], "gold": gold})
        rows.sort(key=lambda x: (x["predicate"], -x["sys"], x["rule"]))
        return rows

    def lines(self) -> list[str]:
        out = []
        for kind in ("ent", "rel"):
            for (k, t), d in sorted(self.tally.items()):
                if k != kind:
                    continue
                p, r, f = self.prf(kind, t)
                out.append(f"{kind:4} {t:16} P={p:.2f} R={r:.2f} F1={f:.2f}  "
                           f"(tp={d['tp']} sys={d['sys']} gold={d['gold']})")
        for x in self.rule_rows():
            out.append(f"rule {x['predicate']} {x['rule']} P={x['p']:.2f} R={x['r']:.2f} "
                       f"(tp={x['tp']} sys={x['sys']} gold={x['gold']})")
        if self.missing_docs:
            out.append("missing docs: " + ", ".join(self.missing_docs))
        return out


def score_doc(gold: dict, sysrec: dict, rep: Report) -> None:
    tally = rep.tally
    slug = gold["doc"]
    ge, gr = gold["entities"], gold["relations"]
    se = [e for e in sysrec.get("entities", []) if isinstance(e, dict) and "id" in e]
    sr = [r for r in sysrec.get("relations", [])
          if isinstance(r, dict) and {"subject", "predicate", "object"} <= r.keys()]
    m = _align(ge, se)
    g_agr = {g["id"]: _parties(gr, g["id"]) for g in ge if g["type"] == "Agreement"}
    used: set[str] = set()
    for s in se:
        if s.get("type") != "Agreement":
            continue
        sp = _parties(sr, s["id"], m)
        for gid, gp in g_agr.items():
            if gid not in used and gp and sp == gp:
                m[s["id"]] = gid
                used.add(gid)
                break
    gname = {g["id"]: g["name"] for g in ge}
    sname = {s["id"]: s.get("name", "?") for s in se}
    for g in ge:
        tally["ent", g["type"]]["gold"] += 1
    matched_g = set(m.values())
    for g in ge:
        if g["id"] not in matched_g:
            rep.misses.append(f"{slug}: entity {g['type']} {g['name']!r}")
    for s in se:
        t = s.get("type", "?")
        tally["ent", t]["sys"] += 1
        if s["id"] in m:
            tally["ent", t]["tp"] += 1
        else:
            rep.false_positives.append(f"{slug}: entity {t} {s.get('name')!r}")

    def key(r: dict, mp: dict | None) -> tuple:
        a, b = (mp.get(r["subject"]), mp.get(r["object"])) if mp is not None else \
            (r["subject"], r["object"])
        if r["predicate"] == "PARTNER_OF" and a and b:
            a, b = sorted([a, b])
        return (a, r["predicate"], b)

    gold_keys: dict[tuple, list] = defaultdict(list)
    for r in gr:
        gold_keys[key(r, None)].append(r)
        tally["rel", r["predicate"]]["gold"] += 1
    seen: set[tuple] = set()
    for r in sr:
        p = r.get("predicate", "?")
        by_rule = rep.rules[p, _rule(r)]
        tally["rel", p]["sys"] += 1
        by_rule["sys"] += 1
        k = key(r, m)
        desc = f"{sname.get(r['subject'], '?')} {p} {sname.get(r['object'], '?')}"
        if None in (k[0], k[2]) or k in seen or k not in gold_keys:
            rep.false_positives.append(f"{slug}: relation {desc}")
            continue
        seen.add(k)
        tally["rel", p]["tp"] += 1
        by_rule["tp"] += 1
        if p == "HOLDS_POSITION":
            gt, st = fold(gold_keys[k][0].get("title", "")), fold(r.get("title", ""))
            tally["title", "HOLDS_POSITION"]["gold"] += 1
            if gt and st and (gt in st or st in gt):
                tally["title", "HOLDS_POSITION"]["tp"] += 1
            else:
                rep.misses.append(f"{slug}: title {gold_keys[k][0].get('title')!r} "
                                  f"(system said {r.get('title')!r})")
    for k, rs in gold_keys.items():
        if k not in seen:
            r = rs[0]
            rep.misses.append(f"{slug}: relation {gname.get(r['subject'])} {r['predicate']} "
                              f"{gname.get(r['object'])}")


def load_gold(gold_dir: Path) -> dict[str, dict]:
    golds = {}
    files = sorted(gold_dir.glob("*.gold.json"))
    if not files:
        raise InputError(f"{gold_dir}: no *.gold.json files")
    for f in files:
        try:
            g = json.loads(f.read_text(encoding="utf-8"))
            golds[g["doc"]] = g
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"{f}: not a gold file ({exc})") from None
    return golds


def evaluate(golds: dict[str, dict], records: list[dict]) -> Report:
    recs: dict[str, dict] = {}
    for r in records:
        d = str(r.get("doc", ""))
        recs[d] = r
        recs.setdefault(Path(d).name.rsplit(".", 1)[0], r)
    rep = Report()
    for slug, g in golds.items():
        rec = recs.get(slug)
        if rec is None:
            rep.missing_docs.append(slug)
            rec = {"entities": [], "relations": []}
        score_doc(g, rec, rep)
        rep.docs += 1
    return rep
