#!/usr/bin/env bash
# Regenerates k8s-schemas.json (the batch/v1 Job, core/v1 PersistentVolumeClaim and ConfigMap JSON
# schemas and every definition they reference) from the npm packages
# kubernetes-models@4.1.0 and @kubernetes-models/apimachinery@1.1.0 (MIT, tommy351; their
# schemas are generated from the Kubernetes OpenAPI definitions, Apache-2.0). Those
# versions ship the schemas as JSON objects (later versions ship compiled validators).
# The tarballs are checked against the sha256 sums below. Needs npm, node, tar.
# Usage: tests/fleet/data/extract-k8s-schemas.sh   (writes next to this script)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/atm-k8s-schema.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
declare -A SHA=(
  [kubernetes-models@4.1.0]=947d5ee91d72c4b0960c89201ba69e6456b7c886549043bc5853f3104befd51b
  [@kubernetes-models/apimachinery@1.1.0]=a6112bb8fbfe082475c9c605019cbce25d8124c53cf30d8f15dea858f6d3dfe4
)
mkdir -p "$TMP/node_modules/@kubernetes-models/validate"
for spec in kubernetes-models@4.1.0 @kubernetes-models/apimachinery@1.1.0; do
  tgz="$(cd "$TMP" && npm pack --silent "$spec" | tail -1)"
  got="$(sha256sum "$TMP/$tgz" | cut -d' ' -f1)"
  [ "$got" = "${SHA[$spec]}" ] || { echo "extract-k8s-schemas: $spec: sha256 $got, expected ${SHA[$spec]}" >&2; exit 1; }
  name="${spec%@*}"
  mkdir -p "$TMP/node_modules/$name"
  tar xzf "$TMP/$tgz" -C "$TMP/node_modules/$name" --strip-components=1
  # Their "exports" maps hide the _schemas files: drop them (this copy only).
  node -e 'const f=process.argv[1],p=require(f);delete p.exports;require("fs").writeFileSync(f,JSON.stringify(p))' \
    "$TMP/node_modules/$name/package.json"
done
# The schemas call @kubernetes-models/validate's register(id, schema): collect them.
cat >"$TMP/node_modules/@kubernetes-models/validate/index.js" <<'JS'
const schemas = {};
exports.register = (id, schema) => { schemas[id] = schema; };
exports.schemas = schemas;
JS
cat >"$TMP/node_modules/tslib.js" <<'JS'
module.exports = {};
JS
cat >"$TMP/extract.js" <<'JS'
const { schemas } = require("@kubernetes-models/validate");
require("kubernetes-models/_schemas/IoK8sApiBatchV1Job.js").addSchema();
require("kubernetes-models/_schemas/IoK8sApiCoreV1PersistentVolumeClaim.js").addSchema();
require("kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap.js").addSchema();
const sorted = {};
for (const id of Object.keys(schemas).sort()) sorted[id] = schemas[id];
process.stdout.write(JSON.stringify({
  source: "npm kubernetes-models@4.1.0 and @kubernetes-models/apimachinery@1.1.0 (MIT), " +
          "generated from the Kubernetes OpenAPI definitions (Apache-2.0); " +
          "tests/fleet/data/extract-k8s-schemas.sh",
  definitions: sorted,
}, null, 1) + "\n");
JS
(cd "$TMP" && node extract.js) >"$HERE/k8s-schemas.json.tmp"
mv "$HERE/k8s-schemas.json.tmp" "$HERE/k8s-schemas.json"
echo "wrote $HERE/k8s-schemas.json ($(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["definitions"]))' "$HERE/k8s-schemas.json") definitions)"
