#!/usr/bin/env node
// Reference for tool/core/LineHash.cpp: GitHub's primaryLocationLineHash as the
// upload-sarif action computes it (codeql-action src/fingerprints.ts), written
// independently here with BigInt arithmetic modulo 2^64 instead of the `long` package.
// Usage: line_hash_reference.js FILE  -> prints "LINE HASH" for every line.
"use strict";
const fs = require("fs");
const BLOCK = 100;
const MASK = (1n << 64n) - 1n;
const MOD = 37n;
let firstMod = 1n;
for (let i = 0; i < BLOCK; i++) firstMod = (firstMod * MOD) & MASK;

const text = fs.readFileSync(process.argv[2], "utf8");
const win = new Array(BLOCK).fill(0);
const lines = new Array(BLOCK).fill(-1);
let hash = 0n, index = 0, lineNumber = 0, lineStart = true, prevCR = false;
const counts = new Map();
const out = [];
function emit() {
  const h = hash.toString(16);
  const n = (counts.get(h) || 0) + 1;
  counts.set(h, n);
  out.push(`${lines[index]} ${h}:${n}`);
  lines[index] = -1;
}
function update(c) {
  const begin = win[index];
  win[index] = c;
  hash = (MOD * hash + BigInt(c) - firstMod * BigInt(begin)) & MASK;
  index = (index + 1) % BLOCK;
}
function processChar(c) {
  if (c === 32 || c === 9 || (prevCR && c === 10)) { prevCR = false; return; }
  if (c === 13) { c = 10; prevCR = true; } else { prevCR = false; }
  if (lines[index] !== -1) emit();
  if (lineStart) { lineStart = false; lineNumber++; lines[index] = lineNumber; }
  if (c === 10) lineStart = true;
  update(c);
}
for (let i = 0; i < text.length; i++) processChar(text.charCodeAt(i));
processChar(65535);
for (let i = 0; i < BLOCK; i++) { if (lines[index] !== -1) emit(); update(0); }
process.stdout.write(out.join("\n") + "\n");
