import Foundation

/// Timing helpers: wall clock, this thread's CPU time, and a process's CPU and memory from /proc.
enum Measure {
    /// This thread's CPU seconds so far.
    static func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Runs `body` `count` times; returns CPU and wall seconds per call.
    static func perCall(_ count: Int, _ body: () throws -> Void) rethrows -> (cpu: Double, wall: Double) {
        let cpuStart = threadCPU()
        let wallStart = ContinuousClock.now
        for _ in 0..<count { try body() }
        let wall = ContinuousClock.now - wallStart
        return ((threadCPU() - cpuStart) / Double(count), seconds(wall) / Double(count))
    }

    /// A Duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// User + system CPU seconds of process `pid` (from /proc/PID/stat).
    static func processCPU(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3; utime and stime are fields 14 and 15.
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident memory of process `pid` in MiB (VmRSS from /proc/PID/status).
    static func residentMiB(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kib / 1024
    }

    /// The process's anonymous resident memory (`RssAnon`), MiB: its own heap and stacks, not the mapped code.
    static func anonymousMiB(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kib / 1024
    }

    /// The value at `fraction` (0…1) of sorted `values`.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }

    /// The median of `values`.
    static func median(_ values: [Double]) -> Double { percentile(values, 0.5) }
}
