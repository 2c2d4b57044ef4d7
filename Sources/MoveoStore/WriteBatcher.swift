import Foundation
import GRDB

/// Group commit for the request path: writes submitted while a transaction is being written wait and then
/// share the next one, each inside its own savepoint.
///
/// Every caller is resumed only after the transaction that holds its write has committed (or failed), so a
/// 201 still means "on disk in the WAL"; a write that throws rolls back its own savepoint and nothing else.
/// Under concurrent load one commit (one WAL append, one lock round, one hop to the writer queue) serves
/// several requests, and rows inserted together share B-tree pages. A lone write pays one transaction as before.
/// `@unchecked Sendable`: `queue`, `draining` and `largest` are only touched under `lock`.
final class WriteBatcher: @unchecked Sendable {
    /// One submitted write: `run` executes it inside the batch's transaction and returns how to resume its
    /// caller once the batch is settled; `fail` resumes a caller whose write never ran.
    private struct Job {
        let run: (Database, _ alone: Bool) -> Outcome
        let fail: (any Error) -> Void
    }

    /// What running one job gave: whether it succeeded, what to do once its transaction committed (on the writer,
    /// in commit order, before any caller resumes), and how to resume its caller.
    private struct Outcome {
        let succeeded: Bool
        let committed: () -> Void
        let complete: (_ commitError: (any Error)?) -> Void
    }

    private let writer: any DatabaseWriter
    private let lock = NSLock()
    private var queue: [Job] = []
    private var draining = false
    private var largest = 0

    /// The most writes one transaction has held so far (for tests and diagnostics).
    var largestBatch: Int { lock.withLock { largest } }

    /// A batcher over the store's writer.
    init(_ writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Runs `work` in a write transaction shared with the writes submitted meanwhile; returns once it is committed.
    ///
    /// `onCommit` receives `work`'s result after the commit, on the writer, in commit order (so an in-memory copy
    /// it updates follows the database's order of writes, and never holds what a failed commit discarded).
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T, onCommit: (@Sendable (T) -> Void)? = nil) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                run: { db, alone in
                    let result: Result<T, any Error>
                    if alone {
                        result = Result { try work(db) }
                    } else {
                        var value: T?
                        result = Result {
                            try db.inSavepoint { value = try work(db); return .commit }
                            return value!
                        }
                    }
                    let succeeded = if case .success = result { true } else { false }
                    return Outcome(
                        succeeded: succeeded,
                        committed: { if let onCommit, case .success(let value) = result { onCommit(value) } },
                        complete: { commitError in
                            if let commitError { continuation.resume(throwing: commitError) } else { continuation.resume(with: result) }
                        })
                },
                fail: { continuation.resume(throwing: $0) })
            let start = lock.withLock { () -> Bool in
                queue.append(job)
                defer { draining = true }
                return !draining
            }
            if start { drain() }
        }
    }

    /// Writes batches on the writer's queue until no job is waiting. (Writing on the calling thread instead, through the
    /// queue's `sync`, saves the hop but holds one of the few cooperative threads for the whole batch: measured, it gave
    /// smaller batches and more CPU per message, so the batch runs on the writer's own thread.)
    private func drain() {
        writer.asyncWriteWithoutTransaction { db in self.drain(db) }
    }

    /// Commits the queued jobs, one transaction per round, until the queue is empty.
    private func drain(_ db: Database) {
        while true {
            let jobs = lock.withLock { () -> [Job] in
                if queue.isEmpty { draining = false }
                largest = max(largest, queue.count)
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            }
            if jobs.isEmpty { return }
            Self.commit(jobs, in: db)
        }
    }

    /// One transaction for `jobs`. A lone job that throws rolls the transaction back; in a batch, its savepoint.
    private static func commit(_ jobs: [Job], in db: Database) {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(jobs.count)
        var failure: (any Error)?
        var committed = false
        do {
            try db.inTransaction(.immediate) {
                var allSucceeded = true
                for job in jobs {
                    let outcome = job.run(db, jobs.count == 1)
                    allSucceeded = allSucceeded && outcome.succeeded
                    outcomes.append(outcome)
                }
                // In a batch a failed job's savepoint is already rolled back; a lone failed job rolls back the transaction.
                committed = !(jobs.count == 1 && !allSucceeded)
                return committed ? .commit : .rollback
            }
        } catch {
            failure = error
            committed = false
        }
        if committed { for outcome in outcomes where outcome.succeeded { outcome.committed() } }
        // A lone job's own error reaches its caller through its result; the transaction's error (BEGIN or COMMIT) through `failure`.
        for outcome in outcomes { outcome.complete(failure) }
        if outcomes.count < jobs.count {
            for job in jobs[outcomes.count...] { job.fail(failure ?? DatabaseError(resultCode: .SQLITE_ERROR, message: "write not run")) }
        }
    }
}
