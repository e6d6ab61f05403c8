#!/usr/bin/env bash
# Audit the production dependencies (what `npm ci --omit=dev` installs in the Docker image) against the
# npm advisory database.
#
#   npm run audit        or        bash scripts/audit.sh
#
# Exit 0: no high or critical advisory. Exit 1: at least one, listed. Exit 2: the audit could not run
# (no lock file, registry unreachable or without the advisory endpoint) — a check that could not look
# must not pass.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f package-lock.json ]]; then
  echo "audit: package-lock.json is missing; npm audit needs it" >&2
  exit 2
fi

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
# npm audit exits non-zero both for findings and for its own errors; the JSON tells them apart.
npm audit --omit=dev --json >"$report" 2>/dev/null || true

node - "$report" <<'NODE'
const fs = require('node:fs');
const text = fs.readFileSync(process.argv[2], 'utf8');
let report;
try {
  report = JSON.parse(text);
} catch {
  console.error(`audit: npm audit gave no report:\n${text.slice(0, 2000)}`);
  process.exit(2);
}
if (report.error || !report.metadata) {
  const e = report.error ?? {};
  const why = [e.code, e.summary, e.detail, report.message].filter(Boolean).join(' — ') || 'no reason given';
  console.error(`audit: npm audit could not run: ${why}`);
  process.exit(2);
}
const counts = report.metadata.vulnerabilities;
const serious = Object.values(report.vulnerabilities ?? {}).filter((v) => v.severity === 'high' || v.severity === 'critical');
console.log(
  `audit: production dependencies: ${counts.critical} critical, ${counts.high} high, ${counts.moderate} moderate, ${counts.low} low`,
);
for (const v of serious) {
  const advisories = v.via.filter((a) => typeof a === 'object');
  const through = v.via.filter((a) => typeof a === 'string');
  console.log(`  ${v.severity.toUpperCase()} ${v.name} ${v.range}${v.isDirect ? ' (direct)' : ''}${through.length ? ` via ${through.join(', ')}` : ''}`);
  for (const a of advisories) console.log(`    ${a.title} — ${a.url}${a.range ? ` (affected: ${a.range})` : ''}`);
  const fix = v.fixAvailable;
  if (fix && typeof fix === 'object') console.log(`    fix: ${fix.name}@${fix.version}${fix.isSemVerMajor ? ' (semver major)' : ''}`);
  else if (fix === true) console.log('    fix: npm audit fix');
}
process.exit(serious.length > 0 ? 1 : 0);
NODE
