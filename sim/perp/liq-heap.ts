// A binary max-heap of (key, account, version) in typed arrays, with lazy deletion: an entry whose
// version no longer matches its account's current version is stale and is dropped when it surfaces.
// The protocol keeps one per side so that accounts nearest liquidation are found without a scan.

export class KeyedMaxHeap {
  private keys: Float64Array;
  private ids: Int32Array;
  private versions: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
    this.versions = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  push(key: number, id: number, version: number): void {
    if (this.size === this.keys.length) this.grow();
    let i = this.size++;
    const keys = this.keys;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] >= key) break;
      keys[i] = keys[parent];
      this.ids[i] = this.ids[parent];
      this.versions[i] = this.versions[parent];
      i = parent;
    }
    keys[i] = key;
    this.ids[i] = id;
    this.versions[i] = version;
  }

  topKey(): number {
    return this.keys[0];
  }
  topId(): number {
    return this.ids[0];
  }
  topVersion(): number {
    return this.versions[0];
  }

  pop(): void {
    const n = --this.size;
    if (n <= 0) return;
    const key = this.keys[n];
    const id = this.ids[n];
    const version = this.versions[n];
    const keys = this.keys;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && keys[r] > keys[l] ? r : l;
      if (keys[c] <= key) break;
      keys[i] = keys[c];
      this.ids[i] = this.ids[c];
      this.versions[i] = this.versions[c];
      i = c;
    }
    keys[i] = key;
    this.ids[i] = id;
    this.versions[i] = version;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const k = new Float64Array(cap);
    k.set(this.keys);
    const ids = new Int32Array(cap);
    ids.set(this.ids);
    const v = new Int32Array(cap);
    v.set(this.versions);
    this.keys = k;
    this.ids = ids;
    this.versions = v;
  }
}
