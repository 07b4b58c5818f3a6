// Fallback for machines without GNU time: preloaded into every Node process of a
// measured command (NODE_OPTIONS=--require), it appends that process's peak RSS in
// KiB (process.resourceUsage().maxRSS) and its CPU time in microseconds to
// $BENCH_RSS_REPORT when it exits. The bench takes the largest RSS, which is what
// `time -v` reports for a tree of processes, and the sum of CPU times.
"use strict";
const fs = require("fs");
const report = process.env.BENCH_RSS_REPORT;
if (report) {
    process.on("exit", () => {
        try {
            const u = process.resourceUsage();
            fs.appendFileSync(report, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
        } catch {
            /* the report is best effort */
        }
    });
}
