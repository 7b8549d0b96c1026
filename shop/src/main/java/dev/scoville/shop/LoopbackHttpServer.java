package dev.scoville.shop;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The JDK's HTTP server on loopback, answering without Nagle's delay. */
final class LoopbackHttpServer {
  private LoopbackHttpServer() {}

  static HttpServer create(int port) throws IOException {
    // The JDK server leaves TCP_NODELAY off unless told, and each answer then waits for the
    // client's delayed ACK: some 40 ms a request. Read once, when the JVM's first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
  }
}
