// Relative links in Markdown, checked the way GitHub renders them: a link's file must
// exist (relative to the linking page, or to the repository root when it starts with
// `/`), and its `#anchor` must be a heading of the target page (or of the page itself
// for `#anchor` alone). Links inside fenced code, inline code and HTML comments are not
// links. Headings are ATX (`# ...`); the project writes no setext headings.

import * as fs from "fs";
import * as path from "path";

/** Where pages are read from: the working tree, or files held in memory (the specs' own cases). */
export interface DocTree {
    /** The file's text; undefined when there is no such file. */
    text(file: string): string | undefined;
    /** Whether a file or folder exists at this repository-relative path. */
    exists(file: string): boolean;
}

export function fsTree(root: string): DocTree {
    return {
        text: (file) => {
            const full = path.join(root, file);
            return fs.existsSync(full) && fs.statSync(full).isFile() ? fs.readFileSync(full, "utf8") : undefined;
        },
        exists: (file) => fs.existsSync(path.join(root, file)),
    };
}

export function memoryTree(files: Readonly<Record<string, string>>): DocTree {
    const folders = new Set(
        Object.keys(files).flatMap((f) =>
            f
                .split("/")
                .slice(0, -1)
                .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
        ),
    );
    return {
        text: (file) => files[file],
        exists: (file) => file === "" || file in files || folders.has(file),
    };
}

/** GitHub's anchor for a heading's text: lowercase, markup and punctuation dropped (but `-` and `_`), each space a `-`. */
export function githubSlug(heading: string): string {
    return heading
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
        .replace(/ /g, "-");
}

/** For each line, whether it belongs to a fenced code block (its fences included). */
function inFence(lines: readonly string[]): boolean[] {
    let fence: string | undefined;
    return lines.map((line) => {
        const run = /^\s{0,3}(`{3,}|~{3,})(.*)$/.exec(line);
        if (fence === undefined) {
            if (run) fence = run[1];
            return fence !== undefined;
        }
        // A fence closes on a run of its own character at least as long, with nothing after it.
        if (run && run[1][0] === fence[0] && run[1].length >= fence.length && run[2].trim() === "") fence = undefined;
        return true;
    });
}

/** The text with code, fenced or inline, and HTML comments blanked out; line breaks kept so line numbers hold. */
function proseOnly(markdown: string): string {
    const blank = (s: string) => s.replace(/[^\n]/g, " ");
    const lines = markdown.split("\n");
    const fenced = inFence(lines);
    return lines
        .map((line, i) => (fenced[i] ? "" : line))
        .join("\n")
        .replace(/<!--[\s\S]*?-->/g, blank)
        .replace(/(`+)[\s\S]*?\1/g, blank);
}

/** Every anchor a page offers: its headings' slugs (repeats numbered -1, -2, as GitHub does) and explicit `<a id|name>`. */
export function anchorsOf(markdown: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    const lines = markdown.split("\n");
    const fenced = inFence(lines);
    lines.forEach((line, i) => {
        const heading = fenced[i] ? undefined : /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
        if (heading === undefined) return;
        const slug = githubSlug(heading);
        const n = seen.get(slug) ?? 0;
        seen.set(slug, n + 1);
        anchors.add(n === 0 ? slug : `${slug}-${n}`);
    });
    for (const m of proseOnly(markdown).matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
    return anchors;
}

export interface MarkdownLink {
    readonly line: number;
    readonly target: string;
}

/** Every link and image target of a page, inline (`[text](target "title")`) or by definition (`[ref]: target`). */
export function linksOf(markdown: string): MarkdownLink[] {
    const prose = proseOnly(markdown);
    const lineAt = (index: number) => prose.slice(0, index).split("\n").length;
    const links: MarkdownLink[] = [];
    for (const m of prose.matchAll(/\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^\s()]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
        links.push({ line: lineAt(m.index), target: m[1].replace(/^<|>$/g, "") });
    }
    for (const m of prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*(\S+)/gm)) links.push({ line: lineAt(m.index), target: m[1].replace(/^<|>$/g, "") });
    return links;
}

/** Links that leave the repository (a scheme such as https: or mailto:, or `//host`): not checked here. */
const external = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");

/** Each dead relative link of the pages, as `page:line: target: why`; empty when every one resolves. */
export function deadLinks(tree: DocTree, pages: readonly string[]): string[] {
    const dead: string[] = [];
    for (const page of pages) {
        const text = tree.text(page);
        if (text === undefined) {
            dead.push(`${page}: no such page`);
            continue;
        }
        for (const { line, target } of linksOf(text)) {
            if (external(target)) continue;
            const hash = target.indexOf("#");
            const filePart = decodeURI(hash < 0 ? target : target.slice(0, hash));
            const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
            const file =
                filePart === ""
                    ? page
                    : filePart.startsWith("/")
                      ? path.posix.normalize(filePart.slice(1))
                      : path.posix.join(path.posix.dirname(page), filePart);
            const where = `${page}:${line}: ${target}`;
            if (file.startsWith("..")) {
                dead.push(`${where}: leaves the repository`);
                continue;
            }
            if (!tree.exists(file.replace(/\/$/, ""))) {
                dead.push(`${where}: no file or folder ${file}`);
                continue;
            }
            if (anchor === undefined) continue;
            const targetText = file.endsWith(".md") ? tree.text(file) : undefined;
            if (targetText === undefined) {
                // GitHub's line anchors are the only ones a code file has.
                if (!/^L\d+(-L\d+)?$/.test(anchor)) dead.push(`${where}: #${anchor} points into ${file}, which has no headings`);
                continue;
            }
            if (!anchorsOf(targetText).has(anchor)) dead.push(`${where}: no heading for #${anchor} in ${file}`);
        }
    }
    return dead;
}
