// A generated block in a Markdown file between two marker comments: found, replaced,
// or compared with what the generator makes now. The command and configuration
// references (docs/reference/) each live in such a block. Pure string work, cheap to load.

import * as path from "path";

export interface Markers {
    readonly start: string;
    readonly end: string;
}

/** The document does not hold exactly one start marker followed by one end marker. */
export class ReferenceMarkerError extends Error {}

/** The text around and between the markers; throws unless there is exactly one pair in order. */
export function markedBlock(doc: string, markers: Markers): { before: string; block: string; after: string } {
    const starts = doc.split(markers.start).length - 1;
    const ends = doc.split(markers.end).length - 1;
    const start = doc.indexOf(markers.start);
    const end = doc.indexOf(markers.end);
    if (starts !== 1 || ends !== 1 || end < start) {
        throw new ReferenceMarkerError(`needs exactly one ${markers.start} followed by one ${markers.end} (found ${starts} and ${ends})`);
    }
    return { before: doc.slice(0, start + markers.start.length), block: doc.slice(start + markers.start.length, end), after: doc.slice(end) };
}

/** The document with the block between the markers replaced by `text`. */
export function withBlock(doc: string, markers: Markers, text: string): string {
    const { before, after } = markedBlock(doc, markers);
    return `${before}\n${text}\n${after}`;
}

/** Whether the document's block differs from `text` (what `--check` fails on). */
export function blockIsStale(doc: string, markers: Markers, text: string): boolean {
    return withBlock(doc, markers, text) !== doc;
}

/** A generated reference's block in the page it lives in, bound to that reference's markers. */
export function markedReference(markers: Markers) {
    return {
        /** The text around and between the markers; throws unless there is exactly one pair in order. */
        referenceBlock: (doc: string) => markedBlock(doc, markers),
        /** The page with the block between the markers replaced by `reference`. */
        withReference: (doc: string, reference: string) => withBlock(doc, markers, reference),
        /** Whether the page's block differs from `reference` (what `--check` fails on). */
        isStale: (doc: string, reference: string) => blockIsStale(doc, markers, reference),
    };
}

/** How messages name a file: from the repository's root when it is inside it, else as given. */
export function shownPath(file: string, root: string): string {
    const relative = path.relative(root, file);
    return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
