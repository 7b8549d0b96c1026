package dev.scoville.collector.scrape;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A target's keep-alive HTTP/1.1 connection for its scrapes, on Netty directly and on Vert.x's
 * event loops. Vert.x 5.1.6's HTTP client copies every chunk of a body into a new heap buffer
 * ({@code Http1ClientConnection.handleResponseChunk}; no option turns that off), the largest share
 * of the scrape path's allocations: here the body goes from Netty's buffers straight into the
 * target's reused array. Each target has its own connection, so targets behind one host:port never
 * queue behind each other. A scrape that fails or times out closes its connection: a late answer
 * must not reach the next scrape.
 */
public final class ScrapeConnection implements AutoCloseable {
  /** What Prometheus asks for: OpenMetrics first, then the text format. */
  public static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";
  /** Vert.x's client connected within 10 s at most, and so does this one. */
  private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
  private static volatile SslContext tls;

  private final VertxInternal vertx;
  private final String host;
  private final int port;
  private final boolean https;
  private final String hostHeader;
  private final String pathAndQuery;
  /** The loop every exchange of this connection runs on: the scrape timer's, so ingest stays on it. */
  private volatile EventLoop loop;
  /** The kept-alive channel between scrapes; touched only on {@link #loop}. */
  private Channel idle;
  /** The exchange started last, closed with the connection; touched only on {@link #loop}. */
  private Exchange latest;
  private volatile boolean closed;

  private ScrapeConnection(VertxInternal vertx, URI url) {
    this.vertx = vertx;
    this.host = url.getHost();
    this.https = "https".equals(url.getScheme());
    this.port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
    this.hostHeader = url.getPort() >= 0 ? url.getHost() + ":" + url.getPort() : url.getHost();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    this.pathAndQuery = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  /** A connection to {@code url}, or null when it is no http or https URL with a host. */
  public static ScrapeConnection to(Vertx vertx, URI url) {
    boolean http = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
    return http && url.getHost() != null ? new ScrapeConnection((VertxInternal) vertx, url) : null;
  }

  /**
   * GETs the target into {@code body}, completing on the connection's event loop: with the
   * response's content type, or failed with the reason the target's health shows (the HTTP status,
   * the connection's error, "timed out" after {@code timeoutMillis} in all, or the body passing
   * {@code limit} bytes after decompression).
   */
  public Future<ScrapeResponse> fetch(ScrapeBody body, long limit, long timeoutMillis) {
    EventLoop on = loop;
    if (on == null) {
      ContextInternal context = ContextInternal.current();
      on = context != null ? context.nettyEventLoop() : vertx.nettyEventLoopGroup().next();
      loop = on;
    }
    Exchange exchange = new Exchange(body, limit, timeoutMillis);
    if (on.inEventLoop()) {
      exchange.start();
    } else {
      on.execute(exchange::start);
    }
    return exchange.done.future();
  }

  @Override
  public void close() {
    EventLoop on = loop;
    if (on == null) {
      closed = true;
      return;
    }
    on.execute(() -> {
      closed = true;
      if (idle != null) {
        idle.close();
        idle = null;
      }
      if (latest != null) {
        latest.fail(new IllegalStateException("connection closed"));
      }
    });
  }

  private Bootstrap bootstrap(long timeoutMillis) {
    return new Bootstrap()
        .group(loop)
        .channelFactory(vertx.transport().channelFactory(false))
        .resolver(vertx.nameResolver().nettyAddressResolverGroup())
        .option(ChannelOption.ALLOCATOR, VertxByteBufAllocator.POOLED_ALLOCATOR)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(CONNECT_TIMEOUT_MILLIS, timeoutMillis))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel channel) throws SSLException {
            if (https) {
              channel.pipeline().addLast(tlsHandler(channel));
            }
            channel.pipeline().addLast(new HttpClientCodec(), new HttpContentDecompressor(0), new Receiver());
          }
        });
  }

  /** TLS as Vert.x's client did it by default: the JDK's trusted certificates, the host name checked. */
  private SslHandler tlsHandler(Channel channel) throws SSLException {
    SslContext context = tls;
    if (context == null) {
      context = SslContextBuilder.forClient().build();
      tls = context;
    }
    SslHandler handler = context.newHandler(channel.alloc(), host, port);
    SSLParameters parameters = handler.engine().getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    handler.engine().setSSLParameters(parameters);
    return handler;
  }

  /** One scrape's request and response; runs only on the connection's loop. */
  private final class Exchange {
    final Promise<ScrapeResponse> done = Promise.promise();
    final ScrapeBody body;
    final long limit;
    final long timeoutMillis;
    Channel channel;
    ScheduledFuture<?> timer;
    String contentType;
    boolean keepAlive;
    boolean answered;
    /** On a kept-alive channel the target may have closed meanwhile: that one is retried on a new one. */
    boolean reused;

    Exchange(ScrapeBody body, long limit, long timeoutMillis) {
      this.body = body;
      this.limit = limit;
      this.timeoutMillis = timeoutMillis;
    }

    void start() {
      if (closed) {
        done.tryFail("connection closed");
        return;
      }
      latest = this;
      timer = loop.schedule(() -> fail(new TimeoutException("timed out")), timeoutMillis, TimeUnit.MILLISECONDS);
      Channel kept = idle;
      idle = null;
      if (kept != null && kept.isActive()) {
        reused = true;
        send(kept);
      } else {
        if (kept != null) {
          kept.close();
        }
        connect();
      }
    }

    private void connect() {
      reused = false;
      ChannelFuture connecting = bootstrap(timeoutMillis).connect(host, port);
      channel = connecting.channel();
      connecting.addListener(f -> {
        if (f.isSuccess()) {
          if (!done.future().isComplete()) {
            send(connecting.channel());
          }
        } else {
          fail(f.cause());
        }
      });
    }

    private void send(Channel to) {
      channel = to;
      to.pipeline().get(Receiver.class).exchange = this;
      FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery);
      request.headers()
          .set(HttpHeaderNames.HOST, hostHeader)
          .set(HttpHeaderNames.ACCEPT, ACCEPT)
          .set(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate")
          .set(HttpHeaderNames.USER_AGENT, "Scoville")
          .set("X-Prometheus-Scrape-Timeout-Seconds", String.valueOf(timeoutMillis / 1000.0));
      to.writeAndFlush(request).addListener(f -> {
        if (!f.isSuccess()) {
          lost(f.cause());
        }
      });
    }

    void received(Object message) {
      if (message instanceof HttpResponse response) {
        if (response.decoderResult().isFailure()) {
          fail(response.decoderResult().cause());
          return;
        }
        answered = true;
        if (response.status().code() != 200) {
          fail(new IllegalStateException("server returned HTTP status " + response.status().code() + " "
              + response.status().reasonPhrase()));
          return;
        }
        long length = HttpUtil.getContentLength(response, -1L);
        if (length > limit) {
          fail(tooLarge());
          return;
        }
        contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        keepAlive = HttpUtil.isKeepAlive(response);
        body.expect((int) Math.min(Math.max(0, length), 1 << 30));
      }
      if (message instanceof HttpContent content && !done.future().isComplete()) {
        if (body.length() + (long) content.content().readableBytes() > limit) {
          fail(tooLarge());
          return;
        }
        body.append(content.content());
        if (content instanceof LastHttpContent) {
          succeed();
        }
      }
    }

    private IllegalStateException tooLarge() {
      return new IllegalStateException("body exceeds the limit of " + limit + " bytes");
    }

    /** The channel ended or failed: before any answer on a kept-alive channel, try once on a new one. */
    void lost(Throwable cause) {
      if (done.future().isComplete()) {
        return;
      }
      if (reused && !answered) {
        release();
        channel.close();
        connect();
      } else {
        fail(cause);
      }
    }

    private void succeed() {
      timer.cancel(false);
      detach();
      if (keepAlive && !closed && idle == null) {
        idle = channel;
      } else {
        channel.close();
      }
      done.tryComplete(new ScrapeResponse(contentType, body));
    }

    void fail(Throwable cause) {
      // Failed first: closing the channel fails its pending write, which must not be the reason.
      if (!done.tryFail(cause)) {
        return;
      }
      if (timer != null) {
        timer.cancel(false);
      }
      if (channel != null) {
        detach();
        channel.close();
      }
    }

    private void detach() {
      release();
      if (latest == this) {
        latest = null;
      }
    }

    /** What the channel receives from now on is no longer this exchange's. */
    private void release() {
      Receiver receiver = channel.pipeline().get(Receiver.class);
      if (receiver != null && receiver.exchange == this) {
        receiver.exchange = null;
      }
    }
  }

  /** Hands a channel's responses to its current exchange; a response nobody waits for closes it. */
  private static final class Receiver extends ChannelInboundHandlerAdapter {
    Exchange exchange;

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      try {
        if (exchange != null) {
          exchange.received(message);
        } else {
          context.close();
        }
      } finally {
        ReferenceCountUtil.release(message);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      if (exchange != null) {
        exchange.lost(new IllegalStateException("connection closed before the response ended"));
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
      if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess() && exchange != null) {
        exchange.lost(handshake.cause());
      }
      context.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      if (exchange != null) {
        exchange.lost(cause);
      } else {
        context.close();
      }
    }
  }
}
