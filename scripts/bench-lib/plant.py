#!/usr/bin/env python3
"""Plant known legacy Zoho authtoken usages (and some look-alike negatives) into a
benchmark corpus, and write a manifest of where they are.

Each template line that ends in the marker "<<P>>" is a planted positive: the scan must
report at least one finding on that line. Files built from negative templates must
produce no finding at all (reported, not enforced). The output is deterministic for a
given --seed and tree.
"""
import argparse
import json
import os
import random
import sys

P = "<<P>>"

DCS = ["com", "eu", "in", "com.au", "jp", "com.cn"]

# (extension or exact file name, kind, template). kind is "pos" or "neg".
TEMPLATES = [
    ("py", "pos", '''"""Legacy CRM export job #{n}."""
import os
import requests

TOKEN = os.environ.get("CRM_TOKEN", "")


def fetch_leads(tok):
    return requests.get("https://crm.zoho.{dc}/crm/private/json/Leads/getRecords?authtoken=" + tok + "&scope=crmapi"){P}


def add_lead(tok, xml):
    data = {{
        "authtoken": tok,{P}
        "scope": "crmapi",
        "xmlData": xml,
    }}
    return requests.post("https://crm.zoho.{dc}/crm/private/xml/Leads/insertRecords", data=data)
'''),
    ("py", "pos", '''import requests

ZOHO_AUTHTOKEN = "{tok}"{P}


def invoices(org):
    url = f"https://books.zoho.{dc}/api/v3/invoices?organization_id={{org}}&authtoken={{ZOHO_AUTHTOKEN}}"{P}
    return requests.get(url).json()
'''),
    ("py", "neg", '''"""Tunnel helper {n}: ngrok's authtoken and Zoho OAuth, nothing legacy here."""
import os
import requests
from pyngrok import conf, ngrok

conf.get_default().auth_token = os.environ["NGROK_AUTHTOKEN"]
ngrok.set_auth_token(os.environ["NGROK_AUTHTOKEN"])


def leads(access_token):
    return requests.get("https://www.zohoapis.{dc}/crm/v2/Leads",
                        headers={{"Authorization": "Zoho-oauthtoken " + access_token}})
'''),
    ("js", "pos", '''// Legacy Books client #{n}
const axios = require('axios');

function listInvoices(t, orgId) {{
  return axios.get('https://books.zoho.{dc}/api/v3/invoices?organization_id=' + orgId, {{
    headers: {{ Authorization: 'Zoho-authtoken ' + t }},{P}
  }});
}}

function contacts(orgId, authtoken) {{
  return axios.get(`https://books.zoho.{dc}/api/v3/contacts?organization_id=${{orgId}}&authtoken=${{authtoken}}`);{P}
}}

module.exports = {{ listInvoices, contacts }};
'''),
    ("js", "neg", '''// OAuth-only Desk client #{n}
const fetch = require('node-fetch');
const ngrok = require('ngrok');

async function start() {{
  await ngrok.authtoken(process.env.NGROK_AUTHTOKEN);
  return ngrok.connect(8080);
}}

function tickets(accessToken) {{
  return fetch('https://desk.zoho.{dc}/api/v1/tickets', {{
    headers: {{ Authorization: 'Zoho-oauthtoken ' + accessToken }},
  }});
}}
module.exports = {{ start, tickets }};
'''),
    ("php", "pos", '''<?php
// Legacy CRM sync #{n}
class ZohoSync{n} {{
    public function deals($token) {{
        $param = "authtoken=" . $token . "&scope=crmapi&selectColumns=Deals(Stage)";{P}
        return wp_remote_post("https://crm.zoho.{dc}/crm/private/xml/Deals/getRecords", ['body' => $param]);
    }}

    public function insert($xml) {{
        $client = new \\GuzzleHttp\\Client();
        return $client->request('POST', 'https://crm.zoho.{dc}/crm/private/json/Potentials/insertRecords', [
            'query' => [
                'authtoken' => $this->tokenUser,{P}
                'scope' => 'crmapi',
                'xmlData' => $xml,
            ],
        ]);
    }}
}}
'''),
    ("java", "pos", '''// Legacy CRM v1 client #{n}
package com.example.legacy;

import java.util.ArrayList;
import java.util.List;
import org.apache.http.NameValuePair;
import org.apache.http.message.BasicNameValuePair;

public class CrmV1Client{n} {{
    private static final String AUTH_TOKEN = "{tok}";{P}

    public List<NameValuePair> form(String authtoken) {{
        List<NameValuePair> params = new ArrayList<>();
        params.add(new BasicNameValuePair("authtoken", authtoken));{P}
        params.add(new BasicNameValuePair("scope", "crmapi"));
        return params;
    }}
}}
'''),
    ("go", "pos", '''// Legacy Desk client #{n}
package zohodesk

import (
	"fmt"
	"net/http"
)

func Tickets{n}(token, org string) (*http.Response, error) {{
	req, _ := http.NewRequest("GET", "https://desk.zoho.{dc}/api/v1/tickets", nil)
	req.Header.Set("Authorization", fmt.Sprintf("Zoho-authtoken %s", token)){P}
	req.Header.Set("orgId", org)
	return http.DefaultClient.Do(req)
}}

const invoicesURL{n} = `https://books.zoho.{dc}/api/v3/invoices?authtoken=%s&organization_id=%s`{P}
'''),
    ("go", "neg", '''// OAuth Desk client #{n}
package zohodesk

import "net/http"

func OAuth{n}(token string) http.Header {{
	hdr := http.Header{{}}
	hdr.Set("Authorization", "Zoho-oauthtoken "+token)
	return hdr
}}
'''),
    ("sh", "pos", '''#!/bin/bash
# Nightly lead export #{n}
set -euo pipefail
curl -s "https://crm.zoho.{dc}/crm/private/json/Leads/getRecords?authtoken=${{ZOHO_AUTHTOKEN}}&scope=crmapi" > leads.json{P}
curl -H "Authorization: Zoho-authtoken $TOKEN" https://support.zoho.com/api/json/requests/getrecords{P}
'''),
    ("sh", "neg", '''#!/bin/sh
# Tunnel setup #{n}
ngrok config add-authtoken "$NGROK_AUTHTOKEN"
curl -H "Authorization: Zoho-oauthtoken $ACCESS_TOKEN" https://www.zohoapis.{dc}/crm/v2/Leads
'''),
    ("dg", "pos", '''// Deluge function #{n}
authtoken = "{tok}";
organisationId = "655712049";
m = map();
m.put("Authorization","Zoho-authtoken " + authtoken);{P}
resp = getUrl("https://books.zoho.{dc}/api/v3/invoices?authtoken=" + authtoken + "&organization_id=" + organisationId);{P}
info resp.toJSONList();
'''),
    ("env", "pos", '''# Legacy integration settings #{n}
ZOHO_AUTHTOKEN={tok}{P}
ZOHO_CRM_URL=https://crm.zoho.{dc}/crm/private/json/
'''),
    ("env", "neg", '''# Tunnel settings #{n}
NGROK_AUTHTOKEN=2abcDEF_ghijklmnopqrstu_vwxyz{n:04d}
ZOHO_CLIENT_ID=1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ{n:04d}
'''),
    ("yaml", "pos", '''# Service settings #{n}
zoho:
  datacenter: {dc}
  crm:
    authtoken: "${{ZOHO_CRM_TOKEN}}"{P}
  legacy_link: "https://books.zoho.{dc}/api/v3/items?authtoken=abc&organization_id=1"{P}
'''),
    ("yaml", "neg", '''# Tunnel config #{n}
version: "2"
authtoken: 2abcDEF_ghijklmnopqrstu_vwxyz{n:04d}
tunnels:
  web:
    proto: http
    addr: 8080
'''),
]


def candidate_dirs(tree):
    out = []
    for root, dirs, _files in os.walk(tree):
        dirs.sort()
        out.append(root)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tree", required=True, help="corpus tree to plant into")
    ap.add_argument("--manifest", required=True, help="where to write the JSON manifest")
    ap.add_argument("--count", type=int, default=360, help="number of files to plant")
    ap.add_argument("--seed", type=int, default=20240601)
    a = ap.parse_args()

    rnd = random.Random(a.seed)
    dirs = candidate_dirs(a.tree)
    if not dirs:
        sys.exit("plant.py: no directories under " + a.tree)
    files = []
    for n in range(a.count):
        ext, kind, tmpl = TEMPLATES[n % len(TEMPLATES)]
        d = rnd.choice(dirs)
        tok = "%032x" % rnd.getrandbits(128)
        text = tmpl.format(n=n, dc=rnd.choice(DCS), tok=tok, P=P)
        lines = text.split("\n")
        pos = [i + 1 for i, l in enumerate(lines) if l.endswith(P)]
        text = "\n".join(l[: -len(P)] if l.endswith(P) else l for l in lines)
        # Some .env files under their conventional name, where that name is still free.
        if ext == "env" and n % 2 == 0 and not os.path.exists(os.path.join(d, ".env")):
            name = ".env"
        else:
            name = "zoho_legacy_%04d.%s" % (n, ext)
        path = os.path.join(d, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        files.append({"path": os.path.relpath(path, a.tree), "kind": kind, "lines": pos})
    with open(a.manifest, "w", encoding="utf-8") as f:
        json.dump({"seed": a.seed, "files": files,
                   "sites": sum(len(x["lines"]) for x in files)}, f, indent=1)
    print("planted %d files, %d positive sites, %d negative files" % (
        len(files), sum(len(x["lines"]) for x in files),
        sum(1 for x in files if x["kind"] == "neg")))


if __name__ == "__main__":
    main()
