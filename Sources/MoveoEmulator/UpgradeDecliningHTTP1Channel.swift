import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1.1 channel, serving requests that offer a protocol upgrade (`Upgrade: h2c`) as plain HTTP/1.1
/// (CONTRACT §9).
///
/// Java's built-in `HttpClient` and `curl --http2` offer `Connection: Upgrade, HTTP2-Settings` / `Upgrade: h2c` on
/// every plain-HTTP request. NIO's request decoder, having seen an upgrade offer, stops parsing after that request
/// (the bytes that follow would belong to the new protocol), so the next request on the kept-alive connection was
/// never answered. The upgrade is declined (no 101 is sent, the answer is HTTP/1.1), so the bytes that follow are
/// HTTP/1.1: once such a request has ended, its stopped decoder is replaced by a fresh one.
struct UpgradeDecliningHTTP1Channel: HTTPChannelHandler {
    /// The channel's value: the same as Hummingbird's HTTP/1.1 channel.
    typealias Value = HTTP1Channel.Value

    /// Hummingbird's channel, which does the rest.
    let base: HTTP1Channel
    /// The decoder limits, for the replacement decoder.
    let limits: NIOHTTPDecoderLimitConfiguration

    /// The responder of the base channel.
    var responder: HTTPChannelHandler.Responder { base.responder }

    /// Sets up the base channel, then watches decoded requests for upgrade offers right after the decoder.
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let limits = self.limits
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(UpgradeDecliner(limits: limits), position: .after(decoder.handler))
            return value
        }
    }

    /// Serves the connection as the base channel does.
    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Passes request parts through; after a request that offered an upgrade, swaps the stopped decoder for a fresh one.
final class UpgradeDecliner: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let limits: NIOHTTPDecoderLimitConfiguration
    private var upgradeOffered = false

    init(limits: NIOHTTPDecoderLimitConfiguration) {
        self.limits = limits
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            // llhttp's rule: an Upgrade header named in Connection (or CONNECT) makes it stop after the request.
            let connection = head.headers[canonicalForm: "connection"].map { $0.lowercased() }
            upgradeOffered = head.method == .CONNECT || (head.headers.contains(name: "upgrade") && connection.contains("upgrade"))
        case .end where upgradeOffered:
            upgradeOffered = false
            let pipeline = context.pipeline
            let limits = self.limits
            // After the decoder's current read has returned: a handler is not removed from inside its own decode call.
            context.eventLoop.execute {
                do {
                    let stopped = try pipeline.syncOperations.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
                    let fresh = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: limits))
                    try pipeline.syncOperations.addHandler(fresh, position: .after(stopped.handler))
                    pipeline.syncOperations.removeHandler(context: stopped, promise: nil)
                } catch {
                    pipeline.close(promise: nil)
                }
            }
        default:
            break
        }
        context.fireChannelRead(data)
    }
}
