/**
 * The budget an IP counts against, whatever form a proxy wrote it in: IPv4 as `a.b.c.d`, IPv4-mapped
 * IPv6 (`::ffff:203.0.113.5`, `::ffff:cb00:7105`) as that IPv4, and any other IPv6 as its /64 prefix
 * (`2001:db8:1:2::/64`): a single IPv6 client is usually handed a whole /64 and could otherwise rotate
 * through fresh budgets. Brackets, a port after an IPv4 or a bracketed IPv6, a zone (`%eth0`), case and
 * zero padding make no difference. Text that is no IP is kept as it is (trimmed, lowercased).
 */
export function ipBudgetOf(raw: string): string {
  const text = unwrap(raw.trim().toLowerCase());
  const v4 = parseIpv4(text);
  if (v4) return v4.join('.');
  const groups = parseIpv6(text);
  if (!groups) return text;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** Drops `[...]` (and a port after it), a port after an IPv4, and an IPv6 zone. */
function unwrap(text: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(text);
  const inner = bracketed ? bracketed[1]! : text.replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
  return inner.replace(/%.*$/, '');
}

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Eight 16-bit groups, or null when the text is not an IPv6 address. */
function parseIpv6(text: string): number[] | null {
  if (!text.includes(':')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string): number[] | null => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      const v4 = i === parts.length - 1 && part.includes('.') ? parseIpv4(part) : null;
      if (v4) out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      else if (/^[0-9a-f]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return null;
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return null;
  // An embedded IPv4 may only end the address: not before '::'.
  if (halves.length === 2 && halves[0]!.includes('.')) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : null;
}
