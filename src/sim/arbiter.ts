// The lease that the disk and witness methods of partition resolution hand out, as one shared object:
// at most one holder at a time; a lease nobody renews runs out after its duration. Requests carry the
// arbiter's own time of arrival, so a holder's view of its lease (counted from when it asked) always
// ends before the arbiter's.
export class SimArbiter {
  holder: string | null = null;
  expiresAt = 0;

  /** Grants or renews the lease for `server`; false while someone else holds it. */
  request(server: string, now: number, durationMs: number): boolean {
    if (this.holder !== null && this.holder !== server && now < this.expiresAt) return false;
    this.holder = server;
    this.expiresAt = now + durationMs;
    return true;
  }

  release(server: string): void {
    if (this.holder === server) this.holder = null;
  }
}
