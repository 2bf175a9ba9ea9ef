// Polygons for tests and benchmarks.

/** A closed ring with exactly n positions (the last repeats the first): the corners of ring, with points added along its edges. */
export function densify(ring: ReadonlyArray<readonly [number, number] | number[]>, n: number): Array<[number, number]> {
  const corners = ring.slice(0, -1) as Array<[number, number]>;
  const perimeter = corners.map((a, i) => { const b = corners[(i + 1) % corners.length]; return Math.hypot(b[0] - a[0], b[1] - a[1]); });
  const total = perimeter.reduce((s, l) => s + l, 0);
  const inner = n - 1 - corners.length; // points to add between corners
  const out: Array<[number, number]> = [];
  let added = 0;
  corners.forEach((a, i) => {
    const b = corners[(i + 1) % corners.length];
    const k = i === corners.length - 1 ? inner - added : Math.round((inner * perimeter[i]) / total);
    out.push([a[0], a[1]]);
    for (let j = 1; j <= k; j++) out.push([a[0] + ((b[0] - a[0]) * j) / (k + 1), a[1] + ((b[1] - a[1]) * j) / (k + 1)]);
    added += k;
  });
  out.push([out[0][0], out[0][1]]);
  return out;
}
