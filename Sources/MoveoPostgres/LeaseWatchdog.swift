import NIOConcurrencyHelpers

/// Where a lease stands: waiting for a connection, running its body, or given up on by the watchdog.
enum LeasePhase: Sendable { case waiting, running, timedOut }

/// Times out waiting leases from one task that ticks every 100 ms.
///
/// A `Task.sleep` per lease would do the same, but the Swift runtime keeps a cancelled sleep until its deadline, and
/// postgres-nio's own per-release timers showed what that costs: the emulator's memory grew with every request.
final class LeaseWatchdog: Sendable {
    private struct Watched: Sendable {
        let deadline: ContinuousClock.Instant
        let phase: NIOLockedValueBox<LeasePhase>
        let cancel: @Sendable () -> Void
    }

    private let state = NIOLockedValueBox<(next: Int, watched: [Int: Watched])>((0, [:]))
    private let ticker = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init() {
        let state = self.state
        ticker.withLockedValue { task in
            task = Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(100))
                    Self.expire(state)
                }
            }
        }
    }

    /// Watches a lease: past `deadline`, if still waiting, it is marked timed out and `cancel` is called. Returns a ticket.
    func watch(until deadline: ContinuousClock.Instant, phase: NIOLockedValueBox<LeasePhase>, cancel: @escaping @Sendable () -> Void) -> Int {
        state.withLockedValue { state in
            state.next += 1
            state.watched[state.next] = Watched(deadline: deadline, phase: phase, cancel: cancel)
            return state.next
        }
    }

    /// Stops watching the lease of `ticket`.
    func forget(_ ticket: Int) {
        _ = state.withLockedValue { $0.watched.removeValue(forKey: ticket) }
    }

    /// Stops the ticking task.
    func stop() {
        ticker.withLockedValue { $0?.cancel() }
    }

    private static func expire(_ state: NIOLockedValueBox<(next: Int, watched: [Int: Watched])>) {
        let now = ContinuousClock.now
        let due = state.withLockedValue { state -> [Watched] in
            let due = state.watched.filter { $0.value.deadline <= now }
            for key in due.keys { state.watched.removeValue(forKey: key) }
            return Array(due.values)
        }
        for lease in due {
            let expired = lease.phase.withLockedValue { phase in
                guard phase == .waiting else { return false }
                phase = .timedOut
                return true
            }
            if expired { lease.cancel() }
        }
    }
}
