#!/usr/bin/env node
// Render every .md file of a repository with IBM's marked-it-core (npm), as its CLI does minus beautifying:
// one bare HTML fragment per page. Used by bench/build.py; marked-it-core is resolved through NODE_PATH.
//
//   node marked_it_driver.js SRC OUT KEYWORDS.json
//
// KEYWORDS.json is {"site": {"data": {"keyword": {...}}}}, the variables marked-it substitutes.
"use strict";

const fs = require("fs");
const path = require("path");
const markedIt = require("marked-it-core");

function walk(dir, found) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".")) walk(full, found);
    } else if (entry.name.endsWith(".md")) {
      found.push(full);
    }
  }
  return found;
}

function main() {
  const [src, out, keywordsFile] = process.argv.slice(2);
  if (!src || !out || !keywordsFile) {
    console.error("usage: marked_it_driver.js SRC OUT KEYWORDS.json");
    process.exit(2);
  }
  const variablesMap = JSON.parse(fs.readFileSync(keywordsFile, "utf8"));
  let pages = 0;
  let problems = 0;
  for (const file of walk(src, [])) {
    const text = fs.readFileSync(file, "utf8");
    const result = markedIt.generate(text, { filePath: file, variablesMap });
    problems += (result.html.errors || []).length;
    const target = path.join(out, path.relative(src, file)).replace(/\.md$/, ".html");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, result.html.text || "");
    pages += 1;
  }
  console.log(JSON.stringify({ pages, problems }));
}

main();
