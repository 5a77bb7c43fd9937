// Multi-document transactions, deliberately simple: one transaction at a time. It holds a global
// lock from startTransaction to commit/abort; writes outside it queue behind that lock, reads
// outside it see committed data only. Its writes go to a private copy of each collection it
// touches, installed on commit and dropped on abort, so they are all-or-nothing and invisible
// to others until commit.
import { Binary, type Document } from 'bson';
import { CommandError } from './errors';
import { TransactionView, type Storage } from './store';
import { keyString } from './values';

export interface TxnId {
  session: string;
  txnNumber: number;
}

/** Reads lsid/txnNumber; null when the command is not part of a multi-document transaction. */
export function transactionOf(cmd: Document): (TxnId & { start: boolean }) | null {
  if (cmd.autocommit !== false) return null;
  const lsid = cmd.lsid as Document | undefined;
  if (!lsid || cmd.txnNumber === undefined) throw new CommandError('BadValue', 'transaction requires lsid and txnNumber');
  const session = lsid.id instanceof Binary ? lsid.id.toString('hex') : keyString(lsid.id);
  return { session, txnNumber: Number(cmd.txnNumber), start: cmd.startTransaction === true };
}

function noSuchTransaction(id: TxnId, state = 'is not in progress'): CommandError {
  // MongoDB labels this transient: the driver's withTransaction retries the whole transaction.
  return new CommandError('NoSuchTransaction', `Transaction with { txnNumber: ${id.txnNumber} } ${state}.`, {}, ['TransientTransactionError']);
}

interface Active extends TxnId {
  view: TransactionView;
  timer: NodeJS.Timeout;
}

export class TransactionManager {
  private active: Active | undefined;
  private locked = false;
  private readonly waiters: Array<() => void> = [];
  /** Outcome of each session's latest finished transaction, so a retried commit succeeds. */
  private readonly finished = new Map<string, { txnNumber: number; committed: boolean }>();

  constructor(
    private readonly storage: Storage,
    /** Like transactionLifetimeLimitSeconds: a forgotten transaction must not block writers forever. */
    private readonly lifetimeMs: number,
  ) {}

  private async acquire(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return;
    }
    // release() hands the lock straight to the first waiter, keeping it FIFO.
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }

  /** Runs a write outside any transaction once no transaction holds the lock. */
  async exclusive<T>(run: () => T): Promise<T> {
    await this.acquire();
    try {
      return run();
    } finally {
      this.release();
    }
  }

  async begin(id: TxnId): Promise<TransactionView> {
    // A new txnNumber on the same session implicitly aborts the session's previous transaction.
    if (this.active?.session === id.session) this.finish(false);
    await this.acquire();
    const view = new TransactionView(this.storage);
    const timer = setTimeout(() => this.finish(false), this.lifetimeMs);
    timer.unref();
    this.active = { ...id, view, timer };
    return view;
  }

  /** The view of a transaction already started; anything else is NoSuchTransaction. */
  current(id: TxnId): TransactionView {
    if (this.isActive(id)) return (this.active as Active).view;
    const past = this.finished.get(id.session);
    const aborted = past?.txnNumber === id.txnNumber && !past.committed;
    throw noSuchTransaction(id, aborted ? 'has been aborted' : 'is not in progress');
  }

  commit(id: TxnId): void {
    if (this.isActive(id)) {
      (this.active as Active).view.commitTo(this.storage);
      this.finish(true);
      return;
    }
    const past = this.finished.get(id.session);
    if (past?.txnNumber === id.txnNumber && past.committed) return; // retried commit
    this.current(id); // throws the right NoSuchTransaction
  }

  abort(id: TxnId): void {
    if (!this.isActive(id)) throw new CommandError('NoSuchTransaction', `Transaction with { txnNumber: ${id.txnNumber} } is not in progress.`);
    this.finish(false);
  }

  /** Server-side abort after a failed statement; the client's own abort then finds nothing. */
  abandon(id: TxnId): void {
    if (this.isActive(id)) this.finish(false);
  }

  /** Aborts whatever runs (server going away), releasing the lock for queued writers. */
  abortAll(): void {
    if (this.active) this.finish(false);
  }

  private isActive(id: TxnId): boolean {
    return this.active?.session === id.session && this.active.txnNumber === id.txnNumber;
  }

  private finish(committed: boolean): void {
    const a = this.active;
    if (!a) return;
    clearTimeout(a.timer);
    this.active = undefined;
    this.finished.set(a.session, { txnNumber: a.txnNumber, committed });
    this.release();
  }
}
