import Foundation
import NIOConcurrencyHelpers

/// The clock the whole service reads: the system clock, a fixed time, or the system clock plus an offset.
public final class EmulatorClock: Sendable {
    /// How the clock tells time.
    public enum Mode: String, Sendable {
        /// The system clock.
        case system
        /// A fixed time that stands still until changed.
        case fixed
        /// The system clock plus an offset.
        case offset
    }

    private struct State {
        var mode: Mode = .system
        var fixed: Double = 0
        var offset: Double = 0
    }

    private let state = NIOLockedValueBox(State())

    /// A clock; fixed at `fixedNow` when given, else the system clock.
    public init(fixedNow: Double? = nil) {
        if let fixedNow { setFixed(fixedNow) }
    }

    /// Seconds since 1970 now, by this clock.
    public func now() -> Double {
        let system = Date().timeIntervalSince1970
        return state.withLockedValue { state in
            switch state.mode {
            case .system: system
            case .fixed: state.fixed
            case .offset: system + state.offset
            }
        }
    }

    /// The current mode.
    public var mode: Mode { state.withLockedValue { $0.mode } }

    /// Stands the clock still at `time`.
    public func setFixed(_ time: Double) {
        state.withLockedValue { $0 = State(mode: .fixed, fixed: time, offset: 0) }
    }

    /// Runs the system clock shifted by `seconds`.
    public func setOffset(_ seconds: Double) {
        state.withLockedValue { $0 = State(mode: .offset, fixed: 0, offset: seconds) }
    }

    /// Back to the system clock.
    public func reset() {
        state.withLockedValue { $0 = State() }
    }

    /// The setting as stored for other instances: `fixed:SECONDS`, `offset:SECONDS`, or nil for the system clock.
    public var setting: String? {
        state.withLockedValue { state in
            switch state.mode {
            case .system: nil
            case .fixed: "fixed:\(state.fixed)"
            case .offset: "offset:\(state.offset)"
            }
        }
    }

    /// Applies a stored setting (an unreadable one means the system clock).
    public func apply(setting: String?) {
        guard let setting, let colon = setting.firstIndex(of: ":"), let value = Double(setting[setting.index(after: colon)...]) else {
            reset()
            return
        }
        switch setting[..<colon] {
        case "fixed": setFixed(value)
        case "offset": setOffset(value)
        default: reset()
        }
    }
}
