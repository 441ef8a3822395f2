#!/usr/bin/env python3
"""Checks the DOM headless chromium dumped of the demo repository's migration report.

check_report_dom.py DOM.html REPORT.html SCAN.json DEMO_DIR

DOM.html is the page after its script ran (chromium --dump-dom), REPORT.html the file as
written (what a browser without JavaScript shows),
SCAN.json the `scan --format json` report of the same scan (the expected figures) and
DEMO_DIR the demo repository (its token values must not be in the page).
"""
import html.parser
import json
import os
import re
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text_parts = [], []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag=None, **attrs):
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if all(n.attrs.get(k.rstrip("_")) == v if v is not True else k.rstrip("_") in n.attrs
                   for k, v in attrs.items()):
                yield n

    def has_class(self, c):
        return c in self.attrs.get("class", "").split()


class Parser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(path):
    p = Parser()
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    p.feed(raw)
    return p.root, raw


errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def norm(s):
    return " ".join(s.split())


def main():
    dom_path, nojs_path, scan_path, demo = sys.argv[1:5]
    dom, raw = parse(dom_path)
    nojs, raw_nojs = parse(nojs_path)
    with open(scan_path, encoding="utf-8") as f:
        scan = json.load(f)
    findings = scan["findings"]
    check(len(findings) > 0, "the demo scan has no findings")

    # The script ran: it marks <html> and turns header cells into sort buttons.
    html_el = next(dom.find_all("html"))
    check(html_el.attrs.get("data-js") == "ready", "data-js=ready missing: the script did not run")
    check(int(html_el.attrs.get("data-sortable-tables", "0")) >= 3, "fewer than 3 sortable tables")
    sort_buttons = [b for b in dom.find_all("button") if b.has_class("sort")]
    check(len(sort_buttons) >= 10, f"only {len(sort_buttons)} sort buttons")
    filters = [i for i in dom.find_all("input") if i.has_class("filter")]
    check(len(filters) >= 2, "no filter fields")
    check(all(i.attrs.get("aria-label") for i in filters), "a filter field has no aria-label")

    # Without JavaScript: the same static tables, no buttons.
    nojs_html = next(nojs.find_all("html"))
    check("data-js" not in nojs_html.attrs, "data-js set with JavaScript off")
    check(not any(b.has_class("sort") for b in nojs.find_all("button")),
          "sort buttons with JavaScript off")

    # Totals.
    def total(root, key):
        cards = list(root.find_all("div", **{"data-total": key}))
        check(len(cards) == 1, f"no total card {key}")
        b = next(cards[0].find_all("b"), None) if cards else None
        return int(b.text()) if b is not None else -1

    expect = {
        "findings": len(findings),
        "files": len({f["path"] for f in findings}),
        "fixable": sum(1 for f in findings if f.get("fixable")),
        "manual": sum(1 for f in findings if not f.get("fixable")),
        "revoke": len({(f["path"], f["start"]["line"]) for f in findings
                       if "hardcoded" in f["rule_id"]}),
    }
    for root, name in ((dom, "with JS"), (nojs, "without JS")):
        for k, v in expect.items():
            got = total(root, k)
            check(got == v, f"total {k} ({name}): {got}, expected {v}")
    check(expect["revoke"] >= 1, "the demo has no hard-coded token (the revoke list is untested)")

    # Product rows: one per (product, data centre, cutoff), the findings add up.
    table = next(dom.find_all("table", id="products"), None)
    check(table is not None, "no #products table")
    if table is not None:
        rows = list(next(table.find_all("tbody")).find_all("tr"))
        got = {}
        for r in rows:
            cells = [c for c in r.children if isinstance(c, Node) and c.tag in ("th", "td")]
            key = (norm(cells[0].text()), norm(cells[1].text()))
            got[key] = got.get(key, 0) + int(cells[4].text())
        want = {}
        for f in findings:
            key = (f["product_name"], f.get("datacentre") or "not visible")
            want[key] = want.get(key, 0) + 1
        check(got == want, f"product rows {sorted(got.items())} != {sorted(want.items())}")
        for r in rows:
            verdict = norm([c for c in r.children if isinstance(c, Node)][3].text())
            check(re.fullmatch(r"broken since \d{4}-\d\d-\d\d \(\d+ days?\)( \(date unconfirmed\))?"
                               r"|broken since today.*|due in \d+ days?.*|no cutoff known", verdict),
                  f"verdict '{verdict}'")
        # Sorting works: every column's button is there.
        heads = list(next(table.find_all("thead")).find_all("th"))
        check(all(any(isinstance(c, Node) and c.has_class("sort") for c in h.children) for h in heads),
              "a #products header has no sort button")

    # Scopes: one row per product; the scope string is the sorted union of its findings'.
    scopes = next(dom.find_all("table", id="scope-table"), None)
    check(scopes is not None, "no #scope-table")
    by_product = {}
    for f in findings:
        by_product.setdefault(f["product_name"], set()).update(f.get("scopes_needed", []))
    if scopes is not None:
        rows = list(next(scopes.find_all("tbody")).find_all("tr"))
        got = {}
        for r in rows:
            cells = [c for c in r.children if isinstance(c, Node)]
            code = next((c for c in cells[1].iter() if c.tag == "code"), None)
            got[norm(cells[0].text())] = norm(code.text()) if code is not None else None
        want = {p: (",".join(sorted(s)) if s else None) for p, s in by_product.items()}
        check(got == want, f"scope rows {got} != {want}")
    union = sorted(set().union(*by_product.values()))
    scope_list = next(dom.find_all("ul", id="scope-list"), None)
    if union:
        check(scope_list is not None, "no #scope-list although findings need scopes")
        if scope_list is not None:
            items = [norm(li.text()) for li in scope_list.find_all("li")]
            # Each item is the scope, marked "(unconfirmed)" / "(catch-all)" exactly when
            # some finding's scopes_unconfirmed / scopes_fallback names it.
            unconf = set().union(*(f.get("scopes_unconfirmed", []) for f in findings))
            fallback = set().union(*(f.get("scopes_fallback", []) for f in findings))
            want_items = [s + (" (unconfirmed)" if s in unconf else "") +
                          (" (catch-all)" if s in fallback else "") for s in union]
            check(items == want_items, f"scope list {items} != {want_items}")
    else:
        check(scope_list is None, "a #scope-list without any scope")
        check("not inferred" in scopes.text() if scopes is not None else False,
              "products without scopes are not marked 'not inferred'")
    steps = norm(next(dom.find_all("section", id="scopes")).text())
    for s in ("api-console.zoho.", "Self Client", "Server-based", "access_type=offline",
              "prompt=consent", "grant_type=authorization_code", "ZOHO_CLIENT_ID",
              "ZOHO_CLIENT_SECRET", "ZOHO_REFRESH_TOKEN", "ZOHO_DC="):
        check(s in steps, f"the API-console steps do not mention {s}")

    # Plan: every finding is listed once, with a link to its file and line.
    plan = next(dom.find_all("section", id="plan"))
    links = [a.attrs.get("href", "") for a in plan.find_all("a")]
    for f in findings:
        want = f"{f['path']}"
        check(any(l.endswith(want) or l == want for l in links), f"no plan link to {f['path']}")

    # No secret value of the demo repository, whole or past the kept prefix.
    secrets = set()
    for base, dirs, files in os.walk(demo):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            with open(os.path.join(base, name), encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            secrets.update(re.findall(r"(?<![0-9A-Za-z])[0-9a-f]{32}(?![0-9A-Za-z])", text))
            secrets.update(re.findall(r"1000\.[0-9a-f]{32}\.[0-9a-f]{32}", text))
    check(secrets, "no token value found in the demo repository (the secret check is untested)")
    for s in secrets:
        for page, name in ((raw, "DOM"), (raw_nojs, "no-JS DOM")):
            check(s not in page and s[4:] not in page and s[8:20] not in page,
                  f"a token value of the demo repository ({s[:4]}…) is in the {name}")

    # Self-contained: nothing that loads a resource.
    for n in dom.iter():
        check("src" not in n.attrs or n.tag == "#document", f"<{n.tag} src=…> loads a resource")
        check(n.tag not in ("link", "iframe", "object", "embed", "img", "base"),
              f"<{n.tag}> in the page")
    for st in dom.find_all("style"):
        check("url(" not in st.text() and "@import" not in st.text(), "the CSS loads a resource")

    # Accessibility basics.
    check(len(list(dom.find_all("h1"))) == 1, "not exactly one h1")
    svgs = list(dom.find_all("svg"))
    check(len(svgs) == 6, f"{len(svgs)} charts, expected 6")
    for s in svgs:
        check(s.attrs.get("role") == "img" and any(c.tag == "title" for c in s.iter()),
              "a chart without role=img and <title>")
    for t in dom.find_all("table"):
        check(any(c.tag == "caption" for c in t.iter()), "a table without caption")
        for th in t.find_all("th"):
            check(th.attrs.get("scope") in ("col", "row"), "a <th> without scope")

    if errors:
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print(f"report DOM ok: {len(findings)} findings, {len(expect)} totals, "
          f"{len(sort_buttons)} sort buttons, {len(secrets)} secret(s) absent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
