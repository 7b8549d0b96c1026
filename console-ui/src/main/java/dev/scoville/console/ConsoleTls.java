package dev.scoville.console;

import com.github.mvysny.vaadinboot.VaadinBoot;
import dev.scoville.core.ConfigException;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for both servers from one PEM certificate chain and its PEM (PKCS#8) private key: the
 * API's Vert.x server reads them itself; the console's Jetty gets them as a key store.
 */
final class ConsoleTls {
  private ConsoleTls() {}

  /** The console's server: plain HTTP on {@code uiPort}, or with TLS the HTTPS connector below. */
  static VaadinBoot vaadinBoot(ConsoleConfig.Server server) throws IOException {
    VaadinBoot boot = new VaadinBoot() {
      @Override
      protected void onStarted(WebAppContext context) throws IOException {
        super.onStarted(context);
        if (server.tls() != null) {
          try {
            serveConsole(context.getServer(), server);
          } catch (Exception e) {
            throw new IOException("the console cannot serve HTTPS: " + e.getMessage(), e);
          }
        }
      }
    };
    // With TLS, vaadin-boot's plain connector opens on a spare port and is replaced by the HTTPS one.
    return boot.withPort(server.tls() != null ? sparePort() : server.uiPort()).listenOn(server.host())
        .openBrowserInDevMode(false);
  }

  static HttpServerOptions apiOptions(ConsoleConfig.Server server) {
    HttpServerOptions options = new HttpServerOptions();
    if (server.tls() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(server.tls().certificate().toString()).setKeyPath(server.tls().key().toString()));
    }
    return options;
  }

  /**
   * Replaces the plain connector vaadin-boot opened (on a spare port, as it offers no other way
   * in) with an HTTPS one on {@code server.uiPort}.
   */
  static void serveConsole(Server jetty, ConsoleConfig.Server server) throws Exception {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    String password = UUID.randomUUID().toString();
    ssl.setKeyStore(keyStore(server.tls(), password.toCharArray()));
    ssl.setKeyStorePassword(password);
    HttpConfiguration https = new HttpConfiguration();
    // People may reach the console by a name the certificate does not carry (an IP address in tests).
    https.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
        new HttpConnectionFactory(https));
    connector.setHost(server.host());
    connector.setPort(server.uiPort());
    for (Connector plain : List.of(jetty.getConnectors())) {
      jetty.removeConnector(plain);
      plain.stop();
    }
    jetty.addConnector(connector);
    connector.start();
  }

  /** Reads both files at start, so that a wrong path or format stops the start, naming the file. */
  static void check(ConsoleConfig.Tls tls) {
    keyStore(tls, "check".toCharArray());
  }

  /** A port free right now, for vaadin-boot's plain connector (it refuses port 0). */
  private static int sparePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static KeyStore keyStore(ConsoleConfig.Tls tls, char[] password) {
    try {
      Collection<? extends Certificate> chain;
      try (InputStream in = Files.newInputStream(tls.certificate())) {
        chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (chain.isEmpty()) {
        throw new ConfigException(tls.certificate() + ": no PEM certificate in it (server.tls.certificate)");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("scoville", privateKey(tls), password, chain.toArray(Certificate[]::new));
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(tls.certificate() + ": cannot read the certificate (server.tls.certificate): " + e.getMessage());
    }
  }

  private static PrivateKey privateKey(ConsoleConfig.Tls tls) throws IOException {
    String pem = Files.readString(tls.key());
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      // never the file's content: it is the key
      throw new ConfigException(tls.key() + ": not a PEM PKCS#8 private key (server.tls.key); convert one with"
          + " openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    throw new ConfigException(tls.key() + ": an RSA, EC or Ed25519 private key is needed (server.tls.key)");
  }
}
