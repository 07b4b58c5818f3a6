// CPU profile of just the measured runs (after warm-up and module loading), through
// the inspector: the same .cpuprofile format `node --cpu-prof` writes.

import * as fs from "fs";
import * as inspector from "inspector";
import * as path from "path";

function post<T>(session: inspector.Session, method: string, params?: object): Promise<T> {
    return new Promise((resolve, reject) =>
        session.post(method, params ?? {}, (err: Error | null, result: unknown) => (err ? reject(err) : resolve(result as T))),
    );
}

/** Runs fn under the sampling profiler and writes the profile to file. */
export async function profileRuns(file: string, fn: () => Promise<void>, samplingIntervalUs = 200): Promise<void> {
    const session = new inspector.Session();
    session.connect();
    try {
        await post(session, "Profiler.enable");
        await post(session, "Profiler.setSamplingInterval", { interval: samplingIntervalUs });
        await post(session, "Profiler.start");
        await fn();
        const { profile } = await post<{ profile: unknown }>(session, "Profiler.stop");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(profile));
    } finally {
        session.disconnect();
    }
}
