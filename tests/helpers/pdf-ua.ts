import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/*
 * Reads a PDF back the way an accessibility checker does, for the machine-checkable conditions of
 * PDF/UA-1 (Matterhorn Protocol 1.1) listed in docs/pdf.md: the objects through qpdf's JSON, the
 * pages' structure and marked content through pdfjs-dist.
 */

type Json = unknown;
type Dict = Record<string, Json>;

/** A structure element as qpdf shows it, resolved: role, attributes and kids in order. */
export interface StructElement {
  readonly role: string;
  readonly dict: Dict;
  readonly kids: readonly (StructElement | { mcid: number; page: string | undefined } | { objr: string })[];
}

/** What the checks found: the violations (empty when it conforms) and the structure read back. */
export interface UaReport {
  readonly violations: string[];
  /** Headings, figures and header cells in reading order, e.g. "H1 Inleiding", "Figure [alt]", "TH Gestarte adviezen". */
  readonly outline: string[];
  readonly root: StructElement;
  /** Per page: the text of its artifacts, in content order. */
  readonly artifactText: string[];
}

const run = promisify(execFile);

/** qpdf's JSON (version 2) of a PDF, with stream data inline. */
export async function qpdfJson(bytes: Uint8Array): Promise<{ objects: Dict; trailer: Dict; version: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pdf-ua-'));
  try {
    const file = path.join(dir, 'in.pdf');
    await writeFile(file, bytes);
    const { stdout } = await run('qpdf', ['--json=2', '--json-key=qpdf', '--json-stream-data=inline', file], {
      maxBuffer: 256 * 1024 * 1024,
    });
    const json = JSON.parse(stdout) as { qpdf: [{ pdfversion: string }, Dict] };
    const objects = json.qpdf[1];
    return { objects, trailer: (objects.trailer as { value: Dict }).value, version: json.qpdf[0].pdfversion };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const isRef = (v: Json): v is string => typeof v === 'string' && / 0 R$/.test(v);

function text(v: Json): string {
  if (typeof v !== 'string') return '';
  if (v.startsWith('u:')) return v.slice(2);
  if (v.startsWith('b:')) return Buffer.from(v.slice(2), 'hex').toString('latin1');
  return v;
}

/** Checks a tagged PDF against the machine-checkable PDF/UA-1 conditions; see docs/pdf.md for the list. */
export async function checkPdfUa(bytes: Uint8Array): Promise<UaReport> {
  const violations: string[] = [];
  const fail = (what: string) => violations.push(what);
  const { objects, trailer, version } = await qpdfJson(bytes);
  const get = (v: Json): Json =>
    isRef(v)
      ? ((objects[`obj:${v}`] as { value?: Json; stream?: { dict: Json } } | undefined)?.value ??
        (objects[`obj:${v}`] as { stream?: { dict: Json } })?.stream?.dict)
      : v;
  const dict = (v: Json): Dict => (get(v) ?? {}) as Dict;

  // Document level (Matterhorn 06-001..06-004, 07-001, 11-001, 01-005 via MarkInfo).
  if (version !== '1.7') fail(`PDF version ${version}, expected 1.7`);
  const root = dict(trailer['/Root']);
  const info = dict(trailer['/Info']);
  if (dict(root['/MarkInfo'])['/Marked'] !== true) fail('06-001/01-005: /MarkInfo /Marked is not true');
  if (text(get(root['/Lang'])) !== 'nl-NL') fail(`11-001: /Lang is ${JSON.stringify(text(get(root['/Lang'])))}, expected nl-NL`);
  if (dict(root['/ViewerPreferences'])['/DisplayDocTitle'] !== true) fail('07-001: /ViewerPreferences /DisplayDocTitle is not true');
  if (!root['/Outlines']) fail('bookmarks (/Outlines) missing');
  const metadataRef = root['/Metadata'];
  const metadata = isRef(metadataRef) ? (objects[`obj:${metadataRef}`] as { stream?: { data?: string } }).stream?.data : undefined;
  const xmp = metadata ? Buffer.from(metadata, 'base64').toString('utf8') : '';
  if (!/<pdfuaid:part>1<\/pdfuaid:part>/.test(xmp)) fail('06-002: XMP has no pdfuaid:part 1');
  const title = text(get(info['/Title']));
  if (!title) fail('06-003: no document title');
  else if (
    !xmp.includes(`<rdf:li xml:lang="x-default">${title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</rdf:li>`)
  )
    fail('06-003: XMP dc:title is not the document title (XML-escaped)');

  // Pages: Tabs /S where annotations are (28-008: on every page here), annotations tagged.
  const pages: Dict[] = [];
  const pageRefs: string[] = [];
  const walkPages = (ref: Json) => {
    const node = dict(ref);
    if (node['/Type'] === '/Page') {
      pages.push(node);
      pageRefs.push(String(ref));
    } else for (const kid of (node['/Kids'] as Json[]) ?? []) walkPages(kid);
  };
  walkPages(root['/Pages']);
  pages.forEach((page, i) => {
    if (page['/Tabs'] !== '/S') fail(`28-008: page ${i + 1} has no /Tabs /S`);
    for (const annotRef of (get(page['/Annots']) as Json[] | undefined) ?? []) {
      const annot = dict(annotRef);
      if (annot['/StructParent'] === undefined) fail(`28-002: annotation ${annotRef} on page ${i + 1} is not in the structure`);
      if (annot['/Subtype'] === '/Link' && !text(get(annot['/Contents']))) fail(`28-? (7.18.5): link ${annotRef} has no /Contents`);
    }
    // Fonts embedded with ToUnicode (31-001, 31-027).
    const fonts = dict(dict(page['/Resources'])['/Font']);
    for (const [name, ref] of Object.entries(fonts)) {
      const font = dict(ref);
      if (!font['/ToUnicode']) fail(`31-027: font ${name} on page ${i + 1} has no ToUnicode`);
      const descendant = dict(((get(font['/DescendantFonts']) as Json[] | undefined) ?? [])[0]);
      const descriptor = dict(descendant['/FontDescriptor'] ?? font['/FontDescriptor']);
      if (!descriptor['/FontFile2'] && !descriptor['/FontFile'] && !descriptor['/FontFile3']) fail(`31-001: font ${name} is not embedded`);
    }
  });

  // The structure tree (01-006 standard types; 14-002/14-003 headings; 15-003 TH scope; 13-004 Figure Alt; 19-003 Note ID).
  const treeRoot = dict(root['/StructTreeRoot']);
  if (!root['/StructTreeRoot']) fail('01-? : no /StructTreeRoot');
  const standard = new Set(
    'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby Warichu Figure Formula Form'.split(
      ' ',
    ),
  );
  const build = (ref: Json, pageOf: string | undefined): StructElement => {
    const d = dict(ref);
    const role = String(d['/S'] ?? '').replace(/^\//, '');
    const page = isRef(d['/Pg']) ? d['/Pg'] : pageOf;
    const rawKids = get(d['/K']);
    const list = Array.isArray(rawKids) ? rawKids : rawKids === undefined ? [] : [rawKids];
    const kids = list.map((k) => {
      if (typeof k === 'number') return { mcid: k, page };
      const kd = dict(k);
      if (kd['/Type'] === '/MCR') return { mcid: kd['/MCID'] as number, page: String(kd['/Pg'] ?? page) };
      if (kd['/Type'] === '/OBJR') return { objr: String(kd['/Obj']) };
      return build(k, page);
    });
    return { role, dict: d, kids };
  };
  const top = get(treeRoot['/K']);
  const documentElement = build(Array.isArray(top) ? top[0] : top, undefined);
  if (Array.isArray(top) && top.length !== 1) fail('the structure tree has more than one root element');

  const outline: string[] = [];
  let lastHeading = 0;
  const ids = new Set<string>();
  const visit = (e: StructElement) => {
    if (!standard.has(e.role)) fail(`01-006: non-standard structure type ${e.role} without role map`);
    const heading = /^H([1-6])$/.exec(e.role);
    if (heading) {
      const level = Number(heading[1]);
      if (lastHeading === 0 && level !== 1) fail(`14-002: the first heading is ${e.role}`);
      if (level > lastHeading + 1) fail(`14-003: ${e.role} follows H${lastHeading}`);
      lastHeading = level;
      outline.push(e.role);
    }
    const attributes = dict(e.dict['/A']);
    if (e.role === 'TH') {
      if (!['/Row', '/Column', '/Both'].includes(String(attributes['/Scope']))) fail('15-003: a TH has no Scope');
      outline.push(`TH${attributes['/ColSpan'] ? ` colspan=${attributes['/ColSpan']}` : ''}`);
    }
    if (e.role === 'Table') {
      const cells: StructElement[] = [];
      const collect = (x: StructElement) => {
        for (const k of x.kids) if ('role' in k) k.role === 'TH' || k.role === 'TD' ? cells.push(k) : collect(k);
      };
      collect(e);
      if (!cells.some((c) => c.role === 'TH')) fail('15-? : a Table has no header cells (TH)');
      outline.push('Table');
    }
    if (e.role === 'Figure') {
      const alt = text(get(e.dict['/Alt']));
      if (!alt) fail('13-004: a Figure has no Alt');
      outline.push(`Figure ${alt}`);
    }
    if (e.role === 'Note') {
      const id = text(get(e.dict['/ID']));
      if (!id) fail('19-003: a Note has no ID');
      if (ids.has(id)) fail(`19-004: Note ID ${id} is not unique`);
      if (!treeIds.has(id)) fail(`Note ID ${id} is not in the StructTreeRoot's IDTree`);
      ids.add(id);
    }
    if (e.role === 'Link' && !e.kids.some((k) => 'objr' in k)) fail('28-011: a Link element has no link annotation (OBJR)');
    for (const k of e.kids) if ('role' in k) visit(k);
  };
  const idTree = dict(treeRoot['/IDTree']);
  const treeIds = new Set(((idTree['/Names'] as Json[] | undefined) ?? []).filter((_, i) => i % 2 === 0).map(text));
  if (documentElement.role !== 'Document') fail(`the root structure element is ${documentElement.role}, expected Document`);
  visit(documentElement);

  // Marked content (01-001..01-004) and reading order, page by page through pdfjs.
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const artifactText: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const open: { tag?: string; id?: string | null }[] = [];
    const byId = new Map<string, string>();
    let streamText = '';
    let artifacts = '';
    for (const item of content.items) {
      if ('type' in item && (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps')) {
        open.push(item as { tag?: string; id?: string | null });
        continue;
      }
      if ('type' in item && item.type === 'endMarkedContent') {
        open.pop();
        continue;
      }
      if (!('str' in item) || item.str.trim() === '') continue;
      if (open.length > 1) fail(`page ${n}: nested marked content around "${item.str}"`);
      const mark = open[open.length - 1];
      if (!mark) fail(`01-? page ${n}: text "${item.str}" is neither tagged nor an artifact`);
      else if (mark.tag === 'Artifact') artifacts += item.str;
      else if (mark.id) {
        byId.set(mark.id, (byId.get(mark.id) ?? '') + item.str);
        streamText += item.str;
      } else fail(`page ${n}: text "${item.str}" is marked ${mark.tag} without MCID`);
    }
    artifactText.push(artifacts);
    const tree = (await page.getStructTree()) as { children?: Json[] } | null;
    let structText = '';
    const seen = new Set<string>();
    const walk = (node: Json) => {
      const x = node as { type?: string; id?: string; children?: Json[] };
      if (x.type === 'content' && x.id) {
        seen.add(x.id);
        structText += byId.get(x.id) ?? '';
      }
      for (const c of x.children ?? []) walk(c);
    };
    if (tree) walk(tree);
    for (const id of byId.keys()) if (!seen.has(id)) fail(`01-? page ${n}: marked content ${id} belongs to no structure element`);
    if (structText !== streamText) fail(`page ${n}: the structure's text in reading order differs from the page's text`);
  }
  await doc.destroy();
  return { violations, outline, root: documentElement, artifactText };
}

/** The text of a structure element's own marked content is not in qpdf's JSON; pdfjs gives it per page. */
export async function structureOutline(bytes: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const out: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const byId = new Map<string, string>();
    let current: string | undefined;
    for (const item of content.items) {
      if ('type' in item && item.type === 'beginMarkedContentProps') current = (item as { id?: string }).id ?? undefined;
      else if ('type' in item && item.type === 'endMarkedContent') current = undefined;
      else if ('str' in item && current) byId.set(current, (byId.get(current) ?? '') + item.str);
    }
    const tree = await page.getStructTree();
    const textOf = (node: Json): string => {
      const x = node as { type?: string; id?: string; children?: Json[] };
      if (x.type === 'content' && x.id) return byId.get(x.id) ?? '';
      return (x.children ?? []).map(textOf).join('');
    };
    const walk = (node: Json) => {
      const x = node as { role?: string; alt?: string; children?: Json[] };
      if (x.role && /^(Table|Sect|TOC|L)$/.test(x.role)) out.push(x.role);
      if (x.role && /^(H[1-6]|TH|Figure|Note|Link)$/.test(x.role)) {
        // pdfjs gives a Figure's Alt, and a header cell's ActualText (unhyphenated), as `alt`.
        out.push(`${x.role} ${x.alt ?? textOf(node)}`.trim());
        return;
      }
      for (const c of x.children ?? []) walk(c);
    };
    walk(tree);
  }
  await doc.destroy();
  return out;
}
