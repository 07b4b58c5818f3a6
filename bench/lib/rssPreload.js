// Fallback for machines without GNU time: preloaded into every Node process of a
// measured command (NODE_OPTIONS=--require), it appends that process's peak RSS in
// KiB (process.resourceUsage().maxRSS) to $BENCH_RSS_REPORT when it exits. The bench
// takes the largest, which is what `time -v` reports for a tree of processes.
"use strict";
const fs = require("fs");
const report = process.env.BENCH_RSS_REPORT;
if (report) {
    process.on("exit", () => {
        try {
            fs.appendFileSync(report, `${process.resourceUsage().maxRSS}\n`);
        } catch {
            /* the report is best effort */
        }
    });
}
