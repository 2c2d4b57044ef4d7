import Foundation

/// RFC 3339 UTC text for the API's times, and parsing of ISO 8601 input.
public enum Timestamp {
    /// `2026-11-25T15:50:16.123Z` (milliseconds, UTC).
    public static func format(_ seconds: Double) -> String {
        var whole = time_t(floor(seconds))
        var millis = Int(((seconds - floor(seconds)) * 1000).rounded())
        if millis == 1000 { whole += 1; millis = 0 }
        var parts = tm()
        gmtime_r(&whole, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }

    /// Reads an ISO 8601 / RFC 3339 time with or without fractional seconds; nil when it is not one.
    public static func parse(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }

    /// The bounds `[start, end)` of the UTC month `YYYY-MM`, or nil when `month` is not of that form.
    public static func monthBounds(_ month: String) -> (start: Double, end: Double)? {
        let parts = month.split(separator: "-")
        guard month.utf8.count == 7, parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              month.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) }),
              let year = Int(parts[0]), let number = Int(parts[1]), (1...12).contains(number) else { return nil }
        func epoch(_ year: Int, _ month: Int) -> Double {
            var parts = tm()
            parts.tm_year = Int32(year - 1900)
            parts.tm_mon = Int32(month - 1)
            parts.tm_mday = 1
            return Double(timegm(&parts))
        }
        return (epoch(year, number), number == 12 ? epoch(year + 1, 1) : epoch(year, number + 1))
    }

    /// `YYYY-MM` of a time, UTC.
    public static func month(of seconds: Double) -> String {
        String(format(seconds).prefix(7))
    }
}
