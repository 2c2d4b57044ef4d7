import MoveoEmulator
import Testing

@Suite("Identifiers")
struct RandomIDTests {
    @Test("message and event ids sort in creation order and never repeat; session ids stay 192 random bits")
    func ordering() {
        let messages = (0..<2000).map { _ in RandomID.message() }
        #expect(Set(messages).count == messages.count)
        // Ids made in the same microsecond differ only in their random tail, so compare the time part.
        let times = messages.map { $0.dropFirst(2).prefix(13) }
        #expect(times == times.sorted())
        #expect(messages.allSatisfy { $0.hasPrefix("m_") && $0.count == 2 + 13 + 12 })
        #expect(RandomID.event().hasPrefix("e_"))
        let session = RandomID.session()
        #expect(session.hasPrefix("s_") && session.count == 2 + 32)
    }
}
