"""Generated git repositories with known findings for the fleet tests and `scripts/bench
--fleet` (README "Fleet scans"). Deterministic: repository k holds k % 3 legacy Python
files (two findings each: the hard-coded authtoken and the authtoken URL parameter) and
clean files around them."""
import hashlib
import os
import subprocess

LEGACY = '''import requests

AUTHTOKEN = "{token}"
BASE = "https://crm.zoho.com/crm/private/json/"


def get_{name}():
    url = BASE + "Leads/getRecords?authtoken=" + AUTHTOKEN + "&scope=crmapi"
    return requests.get(url).json()
'''
CLEAN = '''import requests


def leads_{n}(token):
    return requests.get("https://www.zohoapis.com/crm/v2/Leads",
                        headers={{"Authorization": "Zoho-oauthtoken " + token}})
'''
FINDINGS_PER_LEGACY_FILE = 2
LEGACY_RULES = {"zoho-authtoken-hardcoded", "zoho-authtoken-url-param"}


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                            GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
                            GIT_AUTHOR_DATE="2026-01-01T00:00:00Z",
                            GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"))


def make_repo(path, k, clean_files=3, init_git=True):
    """Repository number k at path; returns its expected number of findings."""
    os.makedirs(os.path.join(path, "src"), exist_ok=True)
    legacy = k % 3
    for i in range(legacy):
        # A random-looking 32-hex-digit token (the rule skips placeholders like 000…1).
        token = hashlib.md5(("fleet-%d-%d" % (k, i)).encode()).hexdigest()
        with open(os.path.join(path, "src", "legacy_%d.py" % i), "w") as f:
            f.write(LEGACY.format(token=token, name="leads_%d_%d" % (k, i)))
    for i in range(clean_files):
        with open(os.path.join(path, "src", "clean_%d.py" % i), "w") as f:
            f.write(CLEAN.format(n=i))
    with open(os.path.join(path, "README.md"), "w") as f:
        f.write("# repository %d\n\nNothing legacy here.\n" % k)
    if init_git:
        git("init", "-q", cwd=path)
        git("add", "-A", cwd=path)
        git("commit", "-q", "-m", "repository %d" % k, cwd=path)
    return legacy * FINDINGS_PER_LEGACY_FILE


def make_fleet(root, n, clean_files=3):
    """n repositories root/repo-NNN; returns {name: expected findings}."""
    expected = {}
    for k in range(n):
        name = "repo-%03d" % k
        expected[name] = make_repo(os.path.join(root, name), k, clean_files)
    return expected
