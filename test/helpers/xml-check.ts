// A small strict XML well-formedness checker for the tests of the JUnit output: one root element,
// matched and properly nested tags, quoted and unique attributes, no raw '<' or stray '&' in text or
// attribute values, only the five predefined entities and numeric character references. Returns the
// element tree so that tests can count test cases. Throws an Error naming the offset on a violation.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside the element, entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`unterminated entity reference near offset ${at}`);
    if (ref in ENTITIES) return ENTITIES[ref];
    const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(ref);
    if (!m) throw new Error(`unknown entity '&${ref};' near offset ${at}`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x10ffff);
    if (!allowed) throw new Error(`character reference to a forbidden character near offset ${at}`);
    return String.fromCodePoint(code);
  });
}

function checkChars(text: string, at: number): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) throw new Error(`forbidden character near offset ${at}`);
}

/** Parses `xml` or throws; returns the root element. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  checkChars(xml, 0);
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    if (
      !/^<\?xml\s+version="1\.[0-9]"(\s+encoding="[A-Za-z0-9._-]+")?(\s+standalone="(yes|no)")?\s*\?>$/.test(
        xml.slice(0, end + 2),
      )
    )
      throw new Error('malformed XML declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const skipSpace = (): void => {
    while (i < xml.length && /\s/.test(xml[i])) i++;
  };
  while (i < xml.length) {
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) throw new Error(`unterminated comment at offset ${i}`);
      i = end + 3;
      continue;
    }
    if (xml[i] === '<' && xml[i + 1] === '/') {
      const m = NAME.exec(xml.slice(i + 2));
      if (!m) throw new Error(`malformed end tag at offset ${i}`);
      i += 2 + m[0].length;
      skipSpace();
      if (xml[i] !== '>') throw new Error(`malformed end tag at offset ${i}`);
      i++;
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`end tag </${m[0]}> does not match <${open?.name ?? ''}>`);
      continue;
    }
    if (xml[i] === '<') {
      if (root && stack.length === 0) throw new Error(`second root element at offset ${i}`);
      const m = NAME.exec(xml.slice(i + 1));
      if (!m) throw new Error(`malformed start tag at offset ${i}`);
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
      i += 1 + m[0].length;
      for (;;) {
        const before = i;
        skipSpace();
        if (xml.startsWith('/>', i) || xml[i] === '>') break;
        if (i === before) throw new Error(`expected whitespace before an attribute at offset ${i}`);
        const a = NAME.exec(xml.slice(i));
        if (!a) throw new Error(`malformed attribute at offset ${i}`);
        i += a[0].length;
        skipSpace();
        if (xml[i] !== '=') throw new Error(`expected '=' at offset ${i}`);
        i++;
        skipSpace();
        const q = xml[i];
        if (q !== '"' && q !== "'") throw new Error(`unquoted attribute value at offset ${i}`);
        const end = xml.indexOf(q, i + 1);
        if (end < 0) throw new Error(`unterminated attribute value at offset ${i}`);
        const raw = xml.slice(i + 1, end);
        if (raw.includes('<')) throw new Error(`'<' in an attribute value at offset ${i}`);
        if (a[0] in el.attrs) throw new Error(`attribute ${a[0]} given twice at offset ${i}`);
        el.attrs[a[0]] = decode(raw, i);
        i = end + 1;
      }
      if (stack.length) stack[stack.length - 1].children.push(el);
      else root = el;
      if (xml.startsWith('/>', i)) i += 2;
      else {
        i++;
        stack.push(el);
      }
      continue;
    }
    const next = xml.indexOf('<', i);
    const text = xml.slice(i, next < 0 ? xml.length : next);
    if (stack.length === 0) {
      if (text.trim() !== '') throw new Error(`text outside the root element at offset ${i}`);
    } else {
      if (text.includes(']]>')) throw new Error(`']]>' in text at offset ${i}`);
      stack[stack.length - 1].text += decode(text, i);
    }
    i = next < 0 ? xml.length : next;
  }
  if (stack.length) throw new Error(`unclosed element <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('no root element');
  return root;
}
