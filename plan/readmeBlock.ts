// A generated block in the README between two marker comments: found, replaced, or
// compared with what the generator makes now. The configuration and command
// references both live in such blocks. Pure string work, cheap to load.

export interface Markers {
    readonly start: string;
    readonly end: string;
}

/** The README does not hold exactly one start marker followed by one end marker. */
export class ReferenceMarkerError extends Error {}

/** The text around and between the markers; throws unless there is exactly one pair in order. */
export function markedBlock(readme: string, markers: Markers): { before: string; block: string; after: string } {
    const starts = readme.split(markers.start).length - 1;
    const ends = readme.split(markers.end).length - 1;
    const start = readme.indexOf(markers.start);
    const end = readme.indexOf(markers.end);
    if (starts !== 1 || ends !== 1 || end < start) {
        throw new ReferenceMarkerError(`needs exactly one ${markers.start} followed by one ${markers.end} (found ${starts} and ${ends})`);
    }
    return { before: readme.slice(0, start + markers.start.length), block: readme.slice(start + markers.start.length, end), after: readme.slice(end) };
}

/** The README with the block between the markers replaced by `text`. */
export function withBlock(readme: string, markers: Markers, text: string): string {
    const { before, after } = markedBlock(readme, markers);
    return `${before}\n${text}\n${after}`;
}

/** Whether the README's block differs from `text` (what `--check` fails on). */
export function blockIsStale(readme: string, markers: Markers, text: string): boolean {
    return withBlock(readme, markers, text) !== readme;
}
